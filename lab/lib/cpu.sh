# shellcheck shell=bash
# A CPU quota on the pod, a sidecar that trips it, and cpu.stat snapshots: the red herring of the cpu-throttle
# scenario. cgroup v2 (cpu.max) where the cpu controller is there, else cgroup v1 (cfs_quota_us). Sourced by run.sh.

CPU_CGROUP=""

cpu_cgroup_create() {
  local quota=$1 period=$2
  if grep -qw cpu /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
    CPU_CGROUP=/sys/fs/cgroup/incident-lens-pod
    echo +cpu >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || true
    mkdir -p $CPU_CGROUP
    echo "$quota $period" >$CPU_CGROUP/cpu.max
  elif [ -d /sys/fs/cgroup/cpu ]; then
    CPU_CGROUP=/sys/fs/cgroup/cpu/incident-lens-pod
    mkdir -p $CPU_CGROUP
    echo "$period" >$CPU_CGROUP/cpu.cfs_period_us
    echo "$quota" >$CPU_CGROUP/cpu.cfs_quota_us
  else
    echo "lab: no cgroup cpu controller found" >&2
    return 1
  fi
}

cpu_cgroup_add() {
  local pid
  for pid in "$@"; do echo "$pid" >"$CPU_CGROUP/cgroup.procs"; done
}

# cpu_burst SECONDS: a busy loop in the pod's cgroup for that long (like a batch job or a log shipper's burst),
# in the background. The driver places the bursts away from the outages: the throttling is a red herring.
# Moved into the cgroup from outside: `ip netns exec` mounts a fresh /sys, without the cgroup tree.
cpu_burst() {
  # The busy process is the one started (no `timeout` wrapper, whose child could fork before the move).
  ip netns exec $NS_POD bash -c 'end=$((${EPOCHREALTIME/./} + $1 * 1000000)); while ((${EPOCHREALTIME/./} < end)); do :; done' burst "$1" &
  cpu_cgroup_add $!
}

# What an engineer would leave running during the incident: a timestamp, then cpu.stat, every second.
cpu_stat_logger_start() {
  local file=$1 settings
  if [ -f $CPU_CGROUP/cpu.max ]; then settings="cpu.max $(cat $CPU_CGROUP/cpu.max)"
  else settings="cpu.cfs_quota_us $(cat $CPU_CGROUP/cpu.cfs_quota_us) cpu.cfs_period_us $(cat $CPU_CGROUP/cpu.cfs_period_us)"; fi
  echo "# $CPU_CGROUP $settings" >"$file"
  (while :; do date -u +%Y-%m-%dT%H:%M:%S.%6NZ; cat $CPU_CGROUP/cpu.stat; sleep 1; done) >>"$file" 2>&1 &
  CPU_STAT_LOGGER_PID=$!
}

cpu_cgroup_remove() {
  [ -n "${CPU_STAT_LOGGER_PID:-}" ] && kill "$CPU_STAT_LOGGER_PID" 2>/dev/null
  [ -n "$CPU_CGROUP" ] && [ -d "$CPU_CGROUP" ] || return 0
  for _ in 1 2 3 4 5; do rmdir "$CPU_CGROUP" 2>/dev/null && return 0; sleep 0.2; done
  echo "lab: could not remove $CPU_CGROUP" >&2
}
