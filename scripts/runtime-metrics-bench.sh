#!/usr/bin/env bash
# Median latency of GET /metrics: the engine simulator directly, the runtime with every request scraping (cache 0),
# the runtime with the default 1 s cache. N requests each, sequential, after 50 warm-up requests (docs/benchmarks.md).
# Build first: dotnet build tests/AIBrix.Runtime.Tests -c Release -v q   (builds aibrix-runtime and aibrix-enginesim)
# Uses ports 18000, 18080 and 18081 on 127.0.0.1.
set -euo pipefail
N=${N:-300}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SIM=$ROOT/tests/AIBrix.EngineSim/bin/Release/net10.0/aibrix-enginesim
RT=$ROOT/runtime/AIBrix.Runtime/bin/Release/net10.0/aibrix-runtime
$SIM --port 18000 --host 127.0.0.1 > ${TMPDIR:-/tmp}/rtbench-sim.log 2>&1 & SIMPID=$!
$RT --port 18080 --host 127.0.0.1 --engine-url http://127.0.0.1:18000 --metrics-cache-ms 0 --models-dir /tmp/rtbench-models > ${TMPDIR:-/tmp}/rtbench-rt0.log 2>&1 & RT0=$!
$RT --port 18081 --host 127.0.0.1 --engine-url http://127.0.0.1:18000 --models-dir /tmp/rtbench-models > ${TMPDIR:-/tmp}/rtbench-rt1.log 2>&1 & RT1=$!
trap 'kill $SIMPID $RT0 $RT1 2>/dev/null || true' EXIT
for p in 18000 18080 18081; do for i in $(seq 1 120); do curl -sf -o /dev/null http://127.0.0.1:$p/metrics && break; sleep 0.5; done; done
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
run() { local url=$1; for i in $(seq 1 50); do curl -s -o /dev/null "$url"; done
        for i in $(seq 1 $N); do curl -s -o /dev/null -w '%{time_total}\n' "$url"; done | median; }
echo "bytes engine: $(curl -s http://127.0.0.1:18000/metrics | wc -c), runtime: $(curl -s http://127.0.0.1:18080/metrics | wc -c)"
echo "engine /metrics median s: $(run http://127.0.0.1:18000/metrics)"
echo "runtime /metrics cache 0 median s: $(run http://127.0.0.1:18080/metrics)"
echo "runtime /metrics cache 1s median s: $(run http://127.0.0.1:18081/metrics)"
echo "load: $(cat /proc/loadavg)"
