# shellcheck shell=bash
# Network namespaces and veth links of the lab. Sourced by lab/run.sh.
# shellcheck disable=SC2034 # the names and addresses are used by the scripts that source this one
#
#   client ── core (FRR, AS 65000) ── access (FRR or BIRD, AS 65001) ── node (gobgpd, AS 64512) ── pod
#   10.0.1.2  10.0.1.1 | 10.0.12.1     10.0.12.2 | 10.0.23.1             10.0.23.2 | 10.244.1.1   10.244.1.10
#
# Every name starts with $LAB_PREFIX so cleanup removes exactly what the lab made and nothing else.

LAB_PREFIX=${LAB_PREFIX:-il}
NS_CLIENT=$LAB_PREFIX-client
NS_CORE=$LAB_PREFIX-core
NS_ACCESS=$LAB_PREFIX-access
NS_NODE=$LAB_PREFIX-node
NS_POD=$LAB_PREFIX-pod
LAB_NAMESPACES="$NS_CLIENT $NS_CORE $NS_ACCESS $NS_NODE $NS_POD"

POD_CIDR=10.244.1.0/24
POD_IP=10.244.1.10
POD_PORT=8080
CLIENT_IP=10.0.1.2
CORE_CLIENT_IP=10.0.1.1
CORE_ACCESS_IP=10.0.12.1
ACCESS_CORE_IP=10.0.12.2
ACCESS_NODE_IP=10.0.23.1
NODE_ACCESS_IP=10.0.23.2
NODE_POD_IP=10.244.1.1

# Interface names (<= 15 chars) and fixed MAC addresses, so captures from different runs read alike.
IF_CLIENT=cl-core;  MAC_CLIENT=02:00:00:00:01:02
IF_CORE_CL=co-client; MAC_CORE_CL=02:00:00:00:01:01
IF_CORE_AC=co-access; MAC_CORE_AC=02:00:00:00:12:01
IF_ACCESS_CO=ac-core; MAC_ACCESS_CO=02:00:00:00:12:02
IF_ACCESS_ND=ac-node; MAC_ACCESS_ND=02:00:00:00:23:01
IF_NODE_AC=nd-access; MAC_NODE_AC=02:00:00:00:23:02
IF_NODE_POD=nd-pod;  MAC_NODE_POD=02:00:00:44:01:01
IF_POD=pod-eth0;    MAC_POD=02:00:00:44:01:10

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# link NS_A IF_A MAC_A ADDR_A NS_B IF_B MAC_B ADDR_B
link() {
  ip link add "$2" netns "$1" address "$3" type veth peer name "$6" netns "$5" address "$7"
  in_ns "$1" ip addr add "$4" dev "$2"
  in_ns "$5" ip addr add "$8" dev "$6"
  in_ns "$1" ip link set "$2" up
  in_ns "$5" ip link set "$6" up
}

topology_up() {
  local ns
  for ns in $LAB_NAMESPACES; do
    ip netns add "$ns"
    in_ns "$ns" ip link set lo up
    # IPv6 off: router solicitations and MLD would only add noise to small captures.
    in_ns "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  done
  for ns in $NS_CORE $NS_ACCESS $NS_NODE; do
    in_ns "$ns" sysctl -qw net.ipv4.ip_forward=1
  done
  link $NS_CLIENT $IF_CLIENT $MAC_CLIENT $CLIENT_IP/24 $NS_CORE $IF_CORE_CL $MAC_CORE_CL $CORE_CLIENT_IP/24
  link $NS_CORE $IF_CORE_AC $MAC_CORE_AC $CORE_ACCESS_IP/30 $NS_ACCESS $IF_ACCESS_CO $MAC_ACCESS_CO $ACCESS_CORE_IP/30
  link $NS_ACCESS $IF_ACCESS_ND $MAC_ACCESS_ND $ACCESS_NODE_IP/30 $NS_NODE $IF_NODE_AC $MAC_NODE_AC $NODE_ACCESS_IP/30
  link $NS_NODE $IF_NODE_POD $MAC_NODE_POD $NODE_POD_IP/24 $NS_POD $IF_POD $MAC_POD $POD_IP/24
  in_ns $NS_CLIENT ip route add default via $CORE_CLIENT_IP
  # The access router's static default towards the core: the route a packet falls back to once the pod route is withdrawn.
  in_ns $NS_ACCESS ip route add default via $CORE_ACCESS_IP
  in_ns $NS_NODE ip route add default via $ACCESS_NODE_IP
  in_ns $NS_POD ip route add default via $NODE_POD_IP
}

# Kill every process still running inside the lab's namespaces, then delete them. Safe to call twice.
# SIGKILL, not SIGTERM: a graceful shutdown would write session-down lines into the routers' logs after the
# scenario, events that belong to the teardown and not to the incident.
# All processes of all namespaces in one kill, so that no router outlives another long enough to log its loss.
topology_down() {
  local ns pids=""
  for ns in $LAB_NAMESPACES; do
    [ -e "/run/netns/$ns" ] && pids="$pids $(ip netns pids "$ns" 2>/dev/null || true)"
  done
  [ -n "${pids// /}" ] && kill -9 $pids 2>/dev/null
  for ns in $LAB_NAMESPACES; do
    [ -e "/run/netns/$ns" ] && ip netns del "$ns" 2>/dev/null
  done
  return 0
}
