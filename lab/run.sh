#!/usr/bin/env bash
# The lab: builds a small routed network in network namespaces, runs one scenario of the incident with real
# routing daemons, and writes captures, every daemon's log and a truth.json to lab/out/<scenario>/.
#
#   sudo lab/run.sh [scenario]        scenarios: lab/scenarios/*.env (frr is the default)
#   npm run lab -- [scenario]
#
# Needs root (namespaces, captures) and Debian packages (installed when missing). Everything it creates is removed
# on exit, also on Ctrl-C or failure. See docs/lab.md.
set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$LAB_DIR")
SCENARIO=${1:-frr}
SCENARIO_FILE=$LAB_DIR/scenarios/$SCENARIO.env

die() { echo "lab: $*" >&2; exit 2; }
[ -f "$SCENARIO_FILE" ] || die "unknown scenario '$SCENARIO' (have: $(cd "$LAB_DIR/scenarios" && ls ./*.env | sed 's|./||; s|\.env||' | tr '\n' ' '))"
[ "$(id -u)" = 0 ] || die "needs root (network namespaces, packet capture): sudo $0 $SCENARIO"

# Defaults, overridden by the scenario file and then by the environment (LAB_GAP_S=5 lab/run.sh ...).
ACCESS=frr FIB_DELAY_MS=3000 RESTARTS="" CPU_QUOTA_US="" CPU_PERIOD_US=100000 CPU_BURST_S=2 CPU_BURST_AT_S=0 MIN_GAP_S=0 MIN_WARMUP_S=0 CLIENT_MODE=new-connection
# shellcheck source=/dev/null
. "$SCENARIO_FILE"
INTERVAL_MS=${LAB_INTERVAL_MS:-20}     # one request every 20 ms
TIMEOUT_MS=${LAB_TIMEOUT_MS:-1000}     # client timeout per request
WARMUP_S=${LAB_WARMUP_S:-5}            # steady traffic before the first restart
GAP_S=${LAB_GAP_S:-12}                 # from a restart to the next kill (or the end): room for the outage to end
# A scenario may need more room than the lab's (or make-fixtures.sh's) defaults give.
[ "$GAP_S" -lt "$MIN_GAP_S" ] && GAP_S=$MIN_GAP_S
[ "$WARMUP_S" -lt "$MIN_WARMUP_S" ] && WARMUP_S=$MIN_WARMUP_S
QUIET_S=${LAB_QUIET_S:-40}             # run length when there is no restart
SNAPLEN=${LAB_SNAPLEN:-128}
RESTARTS=${LAB_RESTARTS-$RESTARTS}
# LAB_OUT: output folder instead of lab/out/<scenario> (make-fixtures.sh uses it)

# shellcheck source=lib/packages.sh
. "$LAB_DIR/lib/packages.sh"
# shellcheck source=lib/topology.sh
. "$LAB_DIR/lib/topology.sh"
# shellcheck source=lib/daemons.sh
. "$LAB_DIR/lib/daemons.sh"
# shellcheck source=lib/cpu.sh
. "$LAB_DIR/lib/cpu.sh"

ensure_packages
command -v node >/dev/null || die "node (20+) is needed for the client, the pod and the truth script"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' || die "node 20+ needed, found $(node -v)"
[ -d "$REPO/node_modules/tsx" ] || die "run 'npm ci' in $REPO first (the lab's scripts run with tsx)"
TSX=(node --import tsx)

# One lab at a time: the namespace names are fixed. (A pid file, not flock: the daemons would inherit the lock.)
LOCK=/run/incident-lens-lab.pid
if [ -f $LOCK ] && kill -0 "$(cat $LOCK)" 2>/dev/null; then die "another lab run is going on (pid $(cat $LOCK))"; fi
echo $$ >$LOCK

OUT=${LAB_OUT:-$LAB_DIR/out/$SCENARIO}
RUN=$(mktemp -d /tmp/incident-lens-lab.XXXXXX)
chmod 755 "$RUN" # the FRR daemons run as user frr
# Only ever delete a previous lab output (or an empty folder), whatever LAB_OUT says.
if [ -d "$OUT" ] && [ -n "$(ls -A "$OUT")" ] && [ ! -f "$OUT/driver.jsonl" ]; then
  die "$OUT exists and is not a lab output; not deleting it"
fi
rm -rf "$OUT"
mkdir -p "$OUT/logs"
CAPTURE_PIDS=() CLIENT_PID="" GOBGPD_PID=""

now_us() { date +%s%6N; }
# driver EVENT [json fields]: what the lab did and when, the restart half of the ground truth.
driver() { printf '{"event":"%s","timeUs":%s%s}\n' "$1" "$(now_us)" "${2:+,$2}" >>"$OUT/driver.jsonl"; }
say() { printf '%s lab: %s\n' "$(date -u +%T.%3N)" "$*" >&2; }

# stop_pids PID...: SIGTERM (tcpdump flushes its file, the client lets in-flight requests finish), then SIGKILL
# whatever is still there after 3 s. Never waits longer: cleanup must not hang.
stop_pids() {
  local pid alive
  [ $# -gt 0 ] || return 0
  kill "$@" 2>/dev/null || true
  for _ in $(seq 1 30); do
    alive=""
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ -z "$alive" ] && break
    sleep 0.1
  done
  kill -9 "$@" 2>/dev/null || true
  wait "$@" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  stop_pids $CLIENT_PID "${CAPTURE_PIDS[@]}"
  topology_down 2>/dev/null
  [ $rc -ne 0 ] && frr_collect_logs # partial output: what the routers said until the failure
  cpu_cgroup_remove
  rm -rf "$RUN"
  rm -f $LOCK
  [ $rc -ne 0 ] && say "failed (exit $rc); namespaces and daemons removed, partial output in $OUT"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "scenario $SCENARIO: access=$ACCESS fib-delay=${FIB_DELAY_MS:-default}(ms) restarts='$RESTARTS'"
topology_down # leftovers of a run killed with SIGKILL
topology_up
driver scenario "\"scenario\":\"$SCENARIO\",\"access\":\"$ACCESS\",\"fibDelayMs\":${FIB_DELAY_MS:-null},\"intervalMs\":$INTERVAL_MS,\"clientMode\":\"$CLIENT_MODE\",\"timeoutMs\":$TIMEOUT_MS,\"snaplen\":$SNAPLEN,\"podCidr\":\"$POD_CIDR\",\"podIp\":\"$POD_IP\",\"clientIp\":\"$CLIENT_IP\""

frr_start core $NS_CORE "$(core_bgp_config)" "$FIB_DELAY_MS"
case $ACCESS in
  frr) frr_start access $NS_ACCESS "$(access_frr_bgp_config)" ;;
  bird) bird_start ;;
  *) die "ACCESS must be frr or bird, not $ACCESS" ;;
esac

(cd "$REPO" && in_ns $NS_POD "${TSX[@]}" lab/pod-server.ts $POD_PORT web-7d9f8c-qx2mz 1 >"$RUN/pod.out" 2>&1) &
if [ -n "$CPU_QUOTA_US" ]; then
  cpu_cgroup_create "$CPU_QUOTA_US" "$CPU_PERIOD_US"
  sleep 1 # the pod server's process must exist before it can be moved
  # shellcheck disable=SC2046 # one pid per word
  cpu_cgroup_add $(ip netns pids $NS_POD)
  cpu_stat_logger_start "$OUT/logs/pod-cpu-stat.log"
fi

gobgpd_start
driver start '"restart":0'
say "waiting for the core to learn $POD_CIDR"
for _ in $(seq 1 300); do
  in_ns $NS_CORE ip route show $POD_CIDR | grep -q via && break
  sleep 0.1
done
in_ns $NS_CORE ip route show $POD_CIDR | grep -q via || die "the core never learned $POD_CIDR over BGP"
driver converged

# Background processes whose pid is kept are started with `ip netns exec` directly (not a shell function), so
# that $! is the process itself and a signal reaches it.
ip netns exec $NS_CORE tcpdump -i $IF_CORE_AC -s "$SNAPLEN" -U -Z root -w "$OUT/core-access.pcap" 2>"$RUN/tcpdump-core.err" &
CAPTURE_PIDS+=($!)
ip netns exec $NS_CLIENT tcpdump -i $IF_CLIENT -s "$SNAPLEN" -U -Z root -w "$OUT/client.pcap" 2>"$RUN/tcpdump-client.err" &
CAPTURE_PIDS+=($!)
# `tcpdump -i any` on the access router, as one would run it on a Linux router: every forwarded packet is seen
# twice (in on one interface, out on another, TTL one lower), like a span port copying both directions. Linux
# cooked (SLL2) link type. Not a loop, and a detector must not call it one.
ip netns exec $NS_ACCESS tcpdump -i any -s "$SNAPLEN" -U -Z root -w "$OUT/access-any.pcap" 2>"$RUN/tcpdump-access.err" &
CAPTURE_PIDS+=($!)
sleep 1
driver load-start
(cd "$REPO" && exec ip netns exec $NS_CLIENT "${TSX[@]}" lab/client.ts "http://$POD_IP:$POD_PORT/api/orders" \
  "$INTERVAL_MS" "$TIMEOUT_MS" "$OUT/logs/client-app.log" "$CLIENT_MODE") &
CLIENT_PID=$!
[ -n "$CPU_QUOTA_US" ] && { sleep 1; cpu_burst "$CPU_BURST_S"; driver cpu-burst "\"seconds\":$CPU_BURST_S"; }
sleep "$WARMUP_S"

n=0
if [ -z "$RESTARTS" ]; then sleep "$QUIET_S"; fi
for spec in $RESTARTS; do
  n=$((n + 1))
  signal=${spec%%:*} down_s=${spec#*:}
  say "restart $n: SIG$signal to gobgpd, back after ${down_s}s"
  driver kill "\"restart\":$n,\"signal\":\"SIG$signal\",\"pid\":$GOBGPD_PID"
  kill -"$signal" "$GOBGPD_PID"
  status=0
  wait "$GOBGPD_PID" 2>/dev/null || status=$? # (2>/dev/null: bash's own "Killed" notice)
  driver exit "\"restart\":$n,\"status\":$status"
  sleep "$down_s"
  gobgpd_start
  driver start "\"restart\":$n,\"pid\":$GOBGPD_PID"
  if [ -n "$CPU_QUOTA_US" ]; then
    sleep "$CPU_BURST_AT_S"
    cpu_burst "$CPU_BURST_S"
    driver cpu-burst "\"seconds\":$CPU_BURST_S"
    sleep "$((GAP_S - CPU_BURST_AT_S))"
  else
    sleep "$GAP_S"
  fi
done

driver load-stop
stop_pids $CLIENT_PID
CLIENT_PID=""
sleep 0.5
stop_pids "${CAPTURE_PIDS[@]}"
CAPTURE_PIDS=()
driver end
cat "$RUN"/tcpdump-*.err >"$OUT/logs/tcpdump.txt"
frr_collect_logs
chmod -R a+rX "$OUT" # readable by the user who will analyse it, whatever root's umask

# pcapng copies of the same packets (same frames, same order): readers must agree on both formats.
for cap in core-access client access-any; do editcap -F pcapng "$OUT/$cap.pcap" "$OUT/$cap.pcapng"; done
(cd "$REPO" && "${TSX[@]}" lab/k8s-logs.ts "$OUT")
(cd "$REPO" && "${TSX[@]}" lab/truth.ts "$OUT")
say "done: $OUT"
# Last line: does the product agree with the truth? (SKIP when the CLI is not built.)
(cd "$REPO" && "${TSX[@]}" lab/compare.ts "$OUT")
