#!/usr/bin/env bash
# Installs what the test suites need on a fresh machine. Idempotent and quiet when all is present.
set -euo pipefail
need=()
# Debian's Chromium for the operator page's browser test (driven by Playwright, no browser download).
command -v chromium > /dev/null 2>&1 || need+=(chromium)
[[ -x /usr/bin/redis-server ]] || command -v redis-server >/dev/null || need+=(redis-server)   # limits tests run a real Redis
if ((${#need[@]})); then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
