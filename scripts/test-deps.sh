#!/usr/bin/env bash
# Installs what the test suites need on a fresh machine. Idempotent and quiet when all is present.
set -euo pipefail
need=()
# (redis-server and chromium are added here by the issues that need them)
if ((${#need[@]})); then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
