# shellcheck shell=bash
# Routing daemons, the pod's HTTP server: config files and start/stop. Sourced by lab/run.sh after topology.sh.
# Needs: $RUN (scratch dir for sockets, pids, configs), $OUT (where logs go).

FRR_BIN=/usr/lib/frr

# frr_start ROUTER NS BGP_CONFIG [WORK_QUEUE_MS]: zebra + bgpd for one router, each with its own log file.
# Both log with microsecond timestamps (log timestamp precision 6), like a router set up for forensics.
frr_start() {
  local router=$1 ns=$2 bgp_config=$3 work_queue_ms=${4:-} dir=$RUN/$1
  mkdir -p "$dir"
  # The daemons drop to the frr user (the only one in the frrvty group): it must own its sockets and logs. Logs go
  # to the scratch dir, which frr can reach wherever the repository is; frr_collect_logs copies them out.
  mkdir -p "$RUN/frr-logs"
  chown frr:frr "$dir" "$RUN/frr-logs"
  cat >"$dir/zebra.conf" <<CONF
hostname $router
log file $RUN/frr-logs/$router-zebra.log informational
log timestamp precision 6
CONF
  # Delay between a RIB change and its installation in the kernel FIB (ms). A large value on the core stands in
  # for a slow hardware FIB: the window during which the core still forwards the pod CIDR to the access router.
  if [ -n "$work_queue_ms" ]; then echo "zebra work-queue $work_queue_ms" >>"$dir/zebra.conf"; fi
  printf 'hostname %s\nlog file %s informational\nlog timestamp precision 6\n%s\n' \
    "$router" "$RUN/frr-logs/$router-bgpd.log" "$bgp_config" >"$dir/bgpd.conf"
  local common=(-d -u frr -g frr -z "$dir/zserv.api" --vty_socket "$dir" -A 127.0.0.1 -P 0)
  in_ns "$ns" $FRR_BIN/zebra "${common[@]}" -f "$dir/zebra.conf" -i "$dir/zebra.pid"
  in_ns "$ns" $FRR_BIN/bgpd "${common[@]}" -f "$dir/bgpd.conf" -i "$dir/bgpd.pid"
}

# The FRR logs as they are now, into the output (readable by all: FRR writes them 0640).
frr_collect_logs() {
  [ -d "$RUN/frr-logs" ] || return 0
  cp "$RUN"/frr-logs/*.log "$OUT/logs/" 2>/dev/null || true
  chmod a+r "$OUT"/logs/*.log 2>/dev/null || true
}

core_bgp_config() {
  cat <<CONF
router bgp 65000
 bgp router-id $CORE_ACCESS_IP
 bgp log-neighbor-changes
 no bgp ebgp-requires-policy
 no bgp network import-check
 neighbor $ACCESS_CORE_IP remote-as 65001
 neighbor $ACCESS_CORE_IP timers connect 1
 address-family ipv4 unicast
  neighbor $ACCESS_CORE_IP advertisement-interval 0
CONF
}

access_frr_bgp_config() {
  cat <<CONF
router bgp 65001
 bgp router-id $ACCESS_CORE_IP
 bgp log-neighbor-changes
 no bgp ebgp-requires-policy
 neighbor $CORE_ACCESS_IP remote-as 65000
 neighbor $CORE_ACCESS_IP timers connect 1
 neighbor $NODE_ACCESS_IP remote-as 64512
 neighbor $NODE_ACCESS_IP description kube-router on node-1
 neighbor $NODE_ACCESS_IP timers connect 1
 address-family ipv4 unicast
  neighbor $CORE_ACCESS_IP advertisement-interval 0
  neighbor $NODE_ACCESS_IP advertisement-interval 0
CONF
}

# BIRD 2 as the access router: same sessions, same static default (kept in the kernel by topology.sh).
bird_start() {
  local dir=$RUN/access
  mkdir -p "$dir"
  cat >"$dir/bird.conf" <<CONF
log "$OUT/logs/access-bird.log" all;
timeformat log "%F %T.%6f";
timeformat protocol "%F %T.%3f";
router id $ACCESS_CORE_IP;
protocol device { scan time 10; }
protocol direct { ipv4; interface "$IF_ACCESS_CO", "$IF_ACCESS_ND"; }
protocol kernel {
  ipv4 { import none; export where source = RTS_BGP; };
  learn off;
}
# Session state changes are only logged with "debug states" (as <TRACE> lines), as operators usually set.
protocol bgp core {
  debug { states };
  local $ACCESS_CORE_IP as 65001;
  neighbor $CORE_ACCESS_IP as 65000;
  connect retry time 1;
  ipv4 { import all; export where source = RTS_BGP; };
}
protocol bgp node1 {
  description "kube-router on node-1";
  debug { states };
  local $ACCESS_NODE_IP as 65001;
  neighbor $NODE_ACCESS_IP as 64512;
  connect retry time 1;
  ipv4 { import all; export none; };
}
CONF
  in_ns $NS_ACCESS bird -c "$dir/bird.conf" -s "$dir/bird.ctl" -P "$dir/bird.pid"
}

# gobgpd on the node, like kube-router's embedded GoBGP: one session to the access router, the pod CIDR announced.
gobgpd_config() {
  cat >"$RUN/node/gobgpd.toml" <<CONF
[global.config]
  as = 64512
  router-id = "$NODE_ACCESS_IP"
[[neighbors]]
  [neighbors.config]
    neighbor-address = "$ACCESS_NODE_IP"
    peer-as = 65001
  [neighbors.timers.config]
    connect-retry = 1
CONF
}

# Starts gobgpd (log appended: one file across restarts, like a container log), waits for its API, announces the CIDR.
gobgpd_start() {
  mkdir -p "$RUN/node"
  [ -f "$RUN/node/gobgpd.toml" ] || gobgpd_config
  # Own UTS namespace so the hostname GoBGP sends in its OPEN (and the routers log) is the node's, not this machine's.
  # Started with `ip netns exec` itself, not the in_ns function, so that $! is gobgpd's own pid (signals reach it).
  ip netns exec $NS_NODE unshare --uts sh -c 'hostname node-1; exec "$@"' gobgpd gobgpd -f "$RUN/node/gobgpd.toml" -p -l info --pprof-disable --api-hosts 127.0.0.1:50051 \
    >>"$OUT/logs/node-gobgpd.log" 2>&1 &
  # shellcheck disable=SC2034 # read by run.sh
  GOBGPD_PID=$!
  for _ in $(seq 1 100); do
    in_ns $NS_NODE gobgp -u 127.0.0.1 global rib add -a ipv4 $POD_CIDR nexthop $NODE_ACCESS_IP >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "gobgpd did not accept the route within 5 s" >&2
  return 1
}
