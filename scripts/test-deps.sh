#!/usr/bin/env bash
# Installs what the test suites need on a fresh machine. Idempotent and quiet when all is present.
set -euo pipefail
need=()
# (chromium is added here by the issue that needs it)
[[ -x /usr/bin/redis-server ]] || command -v redis-server >/dev/null || need+=(redis-server)   # limits tests run a real Redis
if ((${#need[@]})); then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
