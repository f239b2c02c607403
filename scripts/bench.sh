#!/usr/bin/env bash
# `make bench`: a short BenchmarkDotNet subset (routing and the engine model) and a short trace-replay
# comparison on the Mooncake conversation trace. Results land in out/bench/. Full runs: docs/benchmarks.md.
#   BENCH_LIMIT=2000 BENCH_PODS=8 BENCH_POLICIES=random,least-request,oracle make bench
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH=out/aibrix-bench/aibrix-bench
OUT_DIR=out/bench
LIMIT="${BENCH_LIMIT:-2000}"
PODS="${BENCH_PODS:-8}"
POLICIES="${BENCH_POLICIES:-random,least-request,oracle}"
mkdir -p "$OUT_DIR"

# The traces ship with the repository (tests/data, each folder with its SOURCE.md).
DATA=tests/data

echo "== micro-benchmarks (short job)"
"$BENCH" micro --filter '*RoutingBenchmarks*' '*EngineModelBenchmarks*' --job short --artifacts "$OUT_DIR/micro"

echo "== trace replay: Mooncake conversation, first $LIMIT requests, $PODS pods"
"$BENCH" compare --trace "$DATA/mooncake/conversation_trace.jsonl" --pods "$PODS" --policies "$POLICIES" \
  --limit "$LIMIT" --out "$OUT_DIR/replay-mooncake"
echo "report: $OUT_DIR/replay-mooncake/report.md"
