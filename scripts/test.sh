#!/usr/bin/env bash
# Builds and runs every test project, then prints one closing line for CI:
#   "N passed, N failed, N skipped"
# Test projects run in parallel; tests that bind ports always ask the OS for free ones.
# A failed test's message and stack head are printed again just above that line, so a CI log that
# only keeps its tail still says why.
set -uo pipefail
cd "$(dirname "$0")/.."
CONFIG="${CONFIG:-Release}"
log="$(mktemp)"
results="$(mktemp -d)"
trap 'rm -rf "$log" "$results"' EXIT

dotnet build AIBrix.sln -c "$CONFIG" --nologo -v q || { echo "0 passed, 1 failed"; exit 1; }
dotnet test AIBrix.sln -c "$CONFIG" --no-build --nologo -v q --logger trx --results-directory "$results" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

passed=0; failed=0; skipped=0; assemblies=0
while IFS= read -r line; do
  [[ $line =~ Failed:[[:space:]]+([0-9]+),[[:space:]]+Passed:[[:space:]]+([0-9]+),[[:space:]]+Skipped:[[:space:]]+([0-9]+) ]] || continue
  failed=$((failed + BASH_REMATCH[1])); passed=$((passed + BASH_REMATCH[2])); skipped=$((skipped + BASH_REMATCH[3]))
  assemblies=$((assemblies + 1))
done < "$log"

if (( failed > 0 )) && command -v python3 > /dev/null; then
  python3 scripts/trx-failures.py "$results"
fi
if (( status != 0 && failed == 0 )); then failed=1; fi   # a crashed test host counts as a failure
if (( assemblies == 0 )); then echo "no test results found"; failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $(( failed > 0 ? 1 : 0 ))
