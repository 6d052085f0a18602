#!/usr/bin/env bash
# Prepares what the end-to-end tests need, from Debian packages and the npm registry only:
# chromium (driven by playwright-core), code-server 4.100.3 (a real VS Code for Node 20), and the packaged .vsix.
# Idempotent: a second run reuses .e2e/code-server.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
CS_VERSION=4.100.3
CS_DIR="$ROOT/.e2e/code-server"

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v rg >/dev/null || need_apt+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
command -v make >/dev/null || need_apt+=(build-essential)
command -v python3 >/dev/null || need_apt+=(python3)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "e2e setup: missing Debian packages: ${need_apt[*]} (run as root or install them first)" >&2
    exit 1
  fi
  echo "e2e setup: installing ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# The marker is written only after a complete install: a failed or interrupted one (native modules not built)
# is redone, not reused.
CS_MARKER="$CS_DIR/.installed-$CS_VERSION"
if [ ! -f "$CS_MARKER" ]; then
  echo "e2e setup: installing code-server $CS_VERSION into $CS_DIR (about a minute)"
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  # code-server's postinstall would download ripgrep; seed the cache it looks in with Debian's rg instead.
  export TMPDIR="$CS_DIR/tmp"
  RG_CACHE="$TMPDIR/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$RG_CACHE" "$CS_DIR/rg"
  cp "$(command -v rg)" "$CS_DIR/rg/rg"
  tar -czf "$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$CS_DIR/rg" rg
  # npm_config_yes: node-pty's postinstall runs `npx node-gyp`, which would otherwise stop to ask.
  # npm_config_unsafe_perm: code-server's postinstall refuses to run as root without it (npm itself warns it is unknown).
  # A package.json of its own so that npm allows code-server's install script (npm blocks dependency scripts by default).
  printf '{"private":true,"allowScripts":{"code-server":true}}\n' > "$CS_DIR/package.json"
  (cd "$CS_DIR" && npm_config_yes=true npm_config_unsafe_perm=true npm install --no-audit --no-fund "code-server@$CS_VERSION" >"$CS_DIR/install.log" 2>&1) || {
    echo "e2e setup: code-server install failed; last lines of $CS_DIR/install.log:" >&2
    tail -20 "$CS_DIR/install.log" >&2
    exit 1
  }
  touch "$CS_MARKER"
fi

echo "e2e setup: packaging the extension"
npm run -s package >/dev/null
for vsix in "$ROOT"/incident-lens-*.vsix; do echo "e2e setup: $vsix, $(stat -c %s "$vsix") bytes"; done
