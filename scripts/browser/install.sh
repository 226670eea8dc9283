#!/usr/bin/env bash
# Installs Debian's chromium for the browser test (test/browser/run.ts), only when it is missing.
# Playwright drives this binary through playwright-core: no browser is downloaded from elsewhere.
# Idempotent: when `chromium` is already on PATH it only prints its version.
set -euo pipefail
START=$(date +%s)
log() { echo "[browser-install] $*" >&2; }

if [ -n "${CHROMIUM_PATH:-}" ]; then
  [ -x "$CHROMIUM_PATH" ] || { log "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable"; exit 1; }
  log "using CHROMIUM_PATH=$CHROMIUM_PATH ($("$CHROMIUM_PATH" --version 2>/dev/null || echo '?'))"
  exit 0
fi
if command -v chromium >/dev/null 2>&1; then
  log "$(chromium --version 2>/dev/null || echo chromium) already installed at $(command -v chromium) (checked in $(( $(date +%s) - START ))s)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { log "chromium is missing and this is not root (no sudo): run 'apt-get install -y chromium' as root"; exit 1; }
  SUDO="sudo"
fi

log "installing chromium with apt-get"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
command -v chromium >/dev/null 2>&1 || { log "apt-get finished but chromium is not on PATH"; exit 1; }
log "$(chromium --version 2>/dev/null) installed in $(( $(date +%s) - START ))s"
