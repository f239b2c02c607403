using AIBrix.Gateway.Core.Endpoints;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// <c>least-kv-cache</c>: the candidate using the least KV cache, GPU plus CPU (offloaded).
/// Formula: argmin (gpu_cache_usage + cpu_cache_usage), each in [0,1]; an engine that reports no CPU
/// tier counts 0 for it. Input: engine metrics. Fallback: least-request with <c>metrics-missing</c> or
/// <c>metrics-stale</c> when any candidate lacks a fresh GPU usage.
/// </summary>
internal sealed class LeastKvCachePolicy(IRandomSource random, RoutingOptions options, TimeProvider time)
    : LoadPolicy<LeastKvCachePolicy.Signal>(random, options, time)
{
    public override string Name => RoutingPolicies.LeastKvCache;

    /// <summary>The load this policy compares.</summary>
    internal readonly struct Signal : ILoadSignal
    {
        public static bool FromEngine => true;

        public static double Read(Endpoint endpoint, int outputTokens) => endpoint.Signals.KvTotal;
    }
}
