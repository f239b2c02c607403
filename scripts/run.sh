#!/usr/bin/env bash
# `make run`: four simulated vLLM engines and the standalone gateway in front of them, on this
# machine, no cluster and no Envoy. Ctrl-C stops everything.
#   PORT=8888 SIM_PORT=8100 INSTANCES=4 MODEL=... TIME_SCALE=1 STRATEGY=least-request make run
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-8888}"
SIM_PORT="${SIM_PORT:-8100}"
INSTANCES="${INSTANCES:-4}"
MODEL="${MODEL:-meta-llama/Llama-3.1-8B-Instruct}"
TIME_SCALE="${TIME_SCALE:-1}"
STRATEGY="${STRATEGY:-least-request}"
GATEWAY=out/aibrix-gateway/aibrix-gateway
SIM=out/aibrix-enginesim/aibrix-enginesim
RUN_DIR=out/run
mkdir -p "$RUN_DIR"

# Build when a binary is missing or any source is newer than it.
if [[ ! -x $GATEWAY || ! -x $SIM ]] || [[ -n "$(find extproc tests/AIBrix.EngineSim protos -name '*.cs' -newer "$GATEWAY" -print -quit)" ]]; then
  make --no-print-directory build
fi

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$PORT" $(seq "$SIM_PORT" $((SIM_PORT + INSTANCES - 1))); do
  if port_busy "$p"; then
    echo "make run: port $p is in use; set PORT=... or SIM_PORT=... to other ports" >&2
    exit 1
  fi
done

config="$RUN_DIR/gateway.yaml"
{
  echo "# written by scripts/run.sh for make run"
  echo "endpoints:"
  for i in $(seq 0 $((INSTANCES - 1))); do
    echo "  - {name: sim-$i, address: \"127.0.0.1:$((SIM_PORT + i))\", model: \"$MODEL\", engine: vllm, labels: {instance: \"$i\"}}"
  done
  echo "routing: {defaultStrategy: $STRATEGY}"
} > "$config"

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo
  echo "stopping..."
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
trap cleanup INT TERM EXIT

"$SIM" --instances "$INSTANCES" --port "$SIM_PORT" --model "$MODEL" --time-scale "$TIME_SCALE" > "$RUN_DIR/enginesim.log" 2>&1 &
pids+=($!)
"$GATEWAY" standalone --config "$config" --port "$PORT" --listen 127.0.0.1 > "$RUN_DIR/gateway.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 100); do
  if curl -sf "http://127.0.0.1:$PORT/readyz" > /dev/null 2>&1; then break; fi
  if ! kill -0 "${pids[@]}" 2>/dev/null; then
    echo "make run: a process exited at start; see $RUN_DIR/gateway.log and $RUN_DIR/enginesim.log" >&2
    exit 1
  fi
  sleep 0.1
done

cat <<MSG

  AIBrix gateway (standalone) is up: http://127.0.0.1:$PORT/  (operator page)
  $INSTANCES simulated vLLM engines serving "$MODEL" on ports $SIM_PORT-$((SIM_PORT + INSTANCES - 1))

  Try it:
    curl http://127.0.0.1:$PORT/v1/chat/completions -H 'content-type: application/json' \\
      -d '{"model": "$MODEL", "messages": [{"role": "user", "content": "Hello!"}], "max_tokens": 32}'

  Any OpenAI SDK works with base URL http://127.0.0.1:$PORT/v1 (see README).
  Logs: $RUN_DIR/gateway.log, $RUN_DIR/enginesim.log. Ctrl-C stops everything.

MSG
wait -n "${pids[@]}" || true
echo "make run: a process exited; see $RUN_DIR/*.log" >&2
