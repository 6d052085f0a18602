#!/usr/bin/env bash
# Re-makes the committed samples from fresh lab runs, at a lighter load than `run.sh` so the files stay small
# (one request every 100 ms instead of 20, two restarts), and copies them into the repository:
#   media/samples/incident/         frr scenario: the capture on the core-access link + every log (README's first command)
#   test/fixtures/lab/frr/          the same run's truth.json, driver.jsonl, the pcap twin and the client-link capture
#   test/fixtures/lab/<scenario>/   bird, fast-fib, quiet, cpu-throttle: input/ (capture + logs), truth.json, driver.jsonl
#                                   (quiet also: access-any.pcapng, the access router's `tcpdump -i any`)
# Each run's truth.json is computed on exactly the files that are copied (no trimming after the fact).
#
#   sudo lab/make-fixtures.sh [scenario...]      (default: all)
set -euo pipefail
LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$LAB_DIR")
SCENARIOS=${*:-frr bird fast-fib quiet cpu-throttle keepalive}

export LAB_INTERVAL_MS=100 LAB_WARMUP_S=3 LAB_GAP_S=8 LAB_QUIET_S=15 LAB_SNAPLEN=128
export LAB_RESTARTS="TERM:1.5 KILL:2"

# copy_input FROM TO: the files `incident-lens analyze` reads, flat (captures and logs side by side).
copy_input() {
  local from=$1 to=$2
  rm -rf "$to"
  mkdir -p "$to"
  cp "$from/core-access.pcapng" "$to/"
  cp "$from"/logs/*.log "$from/logs/events.json" "$to/"
}

for scenario in $SCENARIOS; do
  out=$LAB_DIR/out/fixtures/$scenario
  [ "$scenario" = quiet ] && restarts="" || restarts=$LAB_RESTARTS
  LAB_OUT=$out LAB_RESTARTS=$restarts "$LAB_DIR/run.sh" "$scenario"
  fixture=$REPO/test/fixtures/lab/$scenario
  mkdir -p "$fixture"
  cp "$out/truth.json" "$out/driver.jsonl" "$fixture/"
  if [ "$scenario" = frr ]; then
    copy_input "$out" "$REPO/media/samples/incident"
    cp "$out/core-access.pcap" "$out/client.pcapng" "$fixture/"
  else
    copy_input "$out" "$fixture/input"
  fi
  # The access router's `tcpdump -i any` (Linux cooked v2, every forwarded packet twice), beside input/ so that
  # it is not analysed with it: for quiet, a capture full of TTL-1-apart duplicates and no loop.
  if [ "$scenario" = quiet ]; then cp "$out/access-any.pcapng" "$fixture/"; fi
  chown -R --reference="$REPO" "$fixture" "$REPO/media/samples" 2>/dev/null || true
done
du -sh "$REPO/media/samples/incident" "$REPO"/test/fixtures/lab/* 2>/dev/null
