#!/usr/bin/env bash
# Installs Debian's redis-server (7.0) and postgresql (15) for the queue-mode suite (test/queue/run.ts) and
# `npm run queue`, only when they are missing. Idempotent: when both are there it only prints their versions.
# Installing does not leave them running for the suite: Debian's package starts its own services, which this
# script stops again (the suite starts private instances on free ports, see scripts/services/README.md).
set -euo pipefail
START=$(date +%s)
log() { echo "[services-install] $*" >&2; }
PG_BIN=/usr/lib/postgresql/15/bin

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x "$PG_BIN/postgres" ] && [ -x "$PG_BIN/initdb" ] || missing+=(postgresql-15)

if [ ${#missing[@]} -eq 0 ]; then
  log "$(redis-server --version | cut -d' ' -f1-3) and $("$PG_BIN/postgres" --version) already installed (checked in $(( $(date +%s) - START ))s)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { log "${missing[*]} missing and this is not root (no sudo): run 'apt-get install -y ${missing[*]}' as root"; exit 1; }
  SUDO="sudo"
fi

log "installing ${missing[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts its own redis/postgres when a service manager runs; stop them: the suite runs its own
$SUDO service redis-server stop >/dev/null 2>&1 || true
$SUDO service postgresql stop >/dev/null 2>&1 || true
command -v redis-server >/dev/null 2>&1 || { log "apt-get finished but redis-server is not on PATH"; exit 1; }
[ -x "$PG_BIN/postgres" ] || { log "apt-get finished but $PG_BIN/postgres is missing"; exit 1; }
log "$(redis-server --version | cut -d' ' -f1-3) and $("$PG_BIN/postgres" --version) installed in $(( $(date +%s) - START ))s"
