#!/usr/bin/env bash
# For .ci/run: one short lab scenario (frr, one restart) where the machine allows it, a clear SKIP where it
# does not (not root, no network namespaces, packages not installable). A run that goes wrong, or a product that
# disagrees with the run's truth, fails.
#
#   lab/ci.sh            exit 0 = passed or skipped, anything else = failed
set -uo pipefail
LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

skip() { echo "lab: SKIP $* (the lab needs root, network namespaces and Debian packages; see docs/lab.md)"; exit 0; }

[ "$(id -u)" = 0 ] || skip "not running as root"
probe=il-ci-probe-$$
ip netns add "$probe" 2>/dev/null || skip "cannot create a network namespace here"
ip netns del "$probe"
# shellcheck source=lib/packages.sh
. "$LAB_DIR/lib/packages.sh"
ensure_packages || skip "the Debian packages could not be installed"

export LAB_OUT=${LAB_OUT:-$LAB_DIR/out/ci} LAB_RESTARTS="KILL:1" LAB_WARMUP_S=2 LAB_GAP_S=7 LAB_INTERVAL_MS=50
exec "$LAB_DIR/run.sh" frr
