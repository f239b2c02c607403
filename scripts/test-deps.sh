#!/usr/bin/env bash
# Installs what the test suites need on a fresh machine. Idempotent and quiet when all is present.
set -euo pipefail
need=()
# Debian's Chromium for the operator page's browser test (driven by Playwright, no browser download).
command -v chromium > /dev/null 2>&1 || need+=(chromium)
[[ -x /usr/bin/redis-server ]] || command -v redis-server >/dev/null || need+=(redis-server)   # limits tests run a real Redis
# redis-cli joins the test Redis Cluster (redis-cli --cluster create) and asks it and the sentinels for their state.
command -v redis-cli > /dev/null 2>&1 || need+=(redis-tools)
# The Sentinel tests run `redis-server --sentinel` (the same binary); the package gives operators `redis-sentinel` too.
command -v redis-sentinel > /dev/null 2>&1 || need+=(redis-sentinel)
if ((${#need[@]})); then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
