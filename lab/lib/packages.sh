# shellcheck shell=bash
# Installs the Debian packages the lab needs when a command is missing. Sourced by lab/run.sh.

# command -> Debian package that provides it
LAB_PACKAGES=(
  "ip:iproute2"
  "unshare:util-linux"
  "tcpdump:tcpdump"
  "tshark:tshark"
  "editcap:wireshark-common"
  "/usr/lib/frr/bgpd:frr"
  "bird:bird2"
  "gobgpd:gobgpd"
  "gobgp:gobgpd"
)

ensure_packages() {
  local entry cmd pkg missing=()
  for entry in "${LAB_PACKAGES[@]}"; do
    cmd=${entry%%:*}
    pkg=${entry#*:}
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "lab: installing ${missing[*]}" >&2
  command -v apt-get >/dev/null || { echo "lab: apt-get not found; install ${missing[*]} by hand" >&2; return 1; }
  apt-get update -q
  # tshark asks whether non-root users may capture; the lab runs as root, so the default answer is fine.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
}
