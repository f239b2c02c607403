#!/usr/bin/env python3
"""Sweep the autoscaling library's settings over the four workloads of docs/benchmarks.md ("Autoscaling in a
closed loop") with `aibrix-bench autoscale --json`, and print one markdown table per workload: every row against
HPA (library defaults) and the oracle. Usage:

    scripts/autoscale-sweep.py BENCH_DLL [--jobs 2] [--only burst,diurnal] [--out results.json] [--extra 'kpa:k=v,k=v' ...]

BENCH_DLL is tests/AIBrix.Bench/bin/Release/net10.0/aibrix-bench.dll (copy it elsewhere first if you rebuild
while the sweep runs). Every run: --metric num_requests_running --target 24 --min 2 --max 16, seed 0.
"""
import argparse, json, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

WORKLOADS = {
    "burst": ["--trace", "gen:burst?low=2&high=16&duration=1800"],
    "diurnal": ["--trace", "gen:diurnal?low=2&high=16&period=1800&duration=3600"],
    "azure": ["--trace", "tests/data/azure/AzureLLMInferenceTrace_conv.csv", "--time-scale", "2"],
    "mooncake": ["--trace", "tests/data/mooncake/conversation_trace.jsonl"],
}
COMMON = ["--metric", "num_requests_running", "--target", "24", "--min", "2", "--max", "16", "--virtual-time", "--json"]

# (strategy, settings): the library's defaults first, then one knob at a time, then combinations. The second
# pass ran before the scale-up lookahead became a KPA/APA default (120 s), so its rows turn it off (OLD); the
# third pass's rows (below its comment) run with it.
OLD = "scale-up-lookahead=0s"
CONFIGS = [
    ("hpa", ""), ("oracle", ""), ("kpa", OLD), ("apa", OLD),
    ("kpa", OLD + ",max-scale-up-rate=1000"),
    ("kpa", OLD + ",max-scale-up-rate=1000,stable-window=60s,panic-window=6s"),
    ("kpa", OLD + ",max-scale-up-rate=1000,panic-window=30s"),
    ("kpa", OLD + ",max-scale-up-rate=1000,panic-threshold=1.5"),
    ("kpa", OLD + ",max-scale-up-rate=1000,scale-down-cooldown-window=600s"),
    ("kpa", OLD + ",max-scale-up-rate=1000,stable-window=60s,panic-window=6s,scale-down-cooldown-window=600s"),
    ("kpa", OLD + ",max-scale-up-rate=4,scale-down-cooldown-window=600s"),
    ("kpa", OLD + ",scale-down-cooldown-window=600s"),
    ("apa", OLD + ",max-scale-up-rate=1000"),
    ("apa", OLD + ",window=30s,scale-down-cooldown-window=600s"),
    ("apa", OLD + ",max-scale-up-rate=1000,window=30s,scale-down-cooldown-window=600s"),
    ("apa", OLD + ",max-scale-up-rate=1000,window=30s,scale-up-tolerance=0,scale-down-cooldown-window=600s"),
    ("apa", OLD + ",max-scale-up-rate=1000,window=30s,scale-down-tolerance=0.2,scale-down-cooldown-window=600s"),
    ("apa", OLD + ",max-scale-up-rate=4,window=30s,scale-down-cooldown-window=600s"),
    # third pass: the scale-up lookahead
    ("kpa", ""), ("apa", ""),
    ("kpa", "scale-down-cooldown-window=600s"), ("apa", "scale-down-cooldown-window=600s"),
    ("kpa", "scale-down-cooldown-window=450s"), ("apa", "scale-down-cooldown-window=450s"),
    ("kpa", "scale-up-lookahead=90s,scale-down-cooldown-window=600s"), ("apa", "scale-up-lookahead=90s,scale-down-cooldown-window=600s"),
    ("kpa", "scale-up-lookahead=60s,scale-down-cooldown-window=600s"), ("apa", "scale-up-lookahead=150s,scale-down-cooldown-window=600s"),
    ("apa", "window=30s,scale-down-cooldown-window=600s"),
]


def run(dll, workload, strategy, settings):
    cmd = ["dotnet", dll, "autoscale", *WORKLOADS[workload], *COMMON, "--autoscaler", strategy]
    for kv in filter(None, settings.split(",")):
        cmd += ["--set", kv]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        return {"error": out.stderr.strip()[:300]}
    r = json.loads(out.stdout)
    r.pop("replicas", None)
    return r


def pct(a, b):
    return f"{(a / b - 1) * 100:+.1f} %" if b else "n/a"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dll")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", default=",".join(WORKLOADS))
    ap.add_argument("--out")
    ap.add_argument("--extra", action="append", default=[], help="strategy:k=v,k=v")
    a = ap.parse_args()
    configs = CONFIGS + [tuple(e.split(":", 1)) if ":" in e else (e, "") for e in a.extra]
    jobs = [(w, s, c) for w in a.only.split(",") for s, c in configs]
    with ThreadPoolExecutor(a.jobs) as pool:
        results = list(pool.map(lambda j: run(a.dll, *j), jobs))
    table = {}
    for (w, s, c), r in zip(jobs, results):
        table.setdefault(w, []).append((s, c, r))
    if a.out:
        with open(a.out, "w") as f:
            json.dump({w: [{**r, "strategy": s, "settings": c} for s, c, r in rows] for w, rows in table.items()}, f, indent=1)
    for w, rows in table.items():
        hpa = next(r for s, c, r in rows if s == "hpa" and not c)
        orc = next(r for s, c, r in rows if s == "oracle")
        print(f"\n#### {w}\n")
        print("| strategy | settings | pod-s | reversals | TTFT p99 (s) | tok/s | p99 vs HPA | reversals vs HPA | pod-s vs HPA | pod-s vs oracle |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for s, c, r in rows:
            if "error" in r:
                print(f"| {s} | {c} | error: {r['error']} |")
                continue
            print(f"| {s.upper()} | {c or 'defaults'} | {r['pod_seconds']:.0f} | {r['direction_reversals']} | {r['ttft_p99_ms'] / 1000:.2f} | "
                  f"{r['throughput_tok_s']:.0f} | {pct(r['ttft_p99_ms'], hpa['ttft_p99_ms'])} | "
                  f"{pct(r['direction_reversals'], hpa['direction_reversals'])} | {pct(r['pod_seconds'], hpa['pod_seconds'])} | "
                  f"{r['pod_seconds'] / orc['pod_seconds']:.2f}× |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
