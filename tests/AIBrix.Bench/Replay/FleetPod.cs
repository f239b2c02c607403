using AIBrix.EngineSim;

namespace AIBrix.Bench.Replay;

/// <summary>One pod of a heterogeneous virtual fleet: its name (what the gateway routes to) and its engine.</summary>
/// <param name="Name">Pod name, unique in the fleet (e.g. <c>l20-0</c>).</param>
/// <param name="Engine">The simulated engine: its GPU's step times, KV capacity and context length.</param>
public sealed record FleetPod(string Name, EngineConfig Engine);

/// <summary>One finished request's latencies, in milliseconds.</summary>
/// <param name="ArrivalSeconds">When it arrived (virtual seconds of the replay).</param>
/// <param name="TtftMs">Time to first token.</param>
/// <param name="TpotMs">Time per output token after the first; NaN for a one-token answer.</param>
/// <param name="E2eMs">End to end.</param>
public readonly record struct RequestLatency(double ArrivalSeconds, double TtftMs, double TpotMs, double E2eMs);
