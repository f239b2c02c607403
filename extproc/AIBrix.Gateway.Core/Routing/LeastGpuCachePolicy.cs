using AIBrix.Gateway.Core.Endpoints;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// <c>least-gpu-cache</c>: the candidate using the least GPU KV cache. Formula: argmin gpu_cache_usage
/// in [0,1]. Input: engine metrics. Fallback: least-request with <c>metrics-missing</c> or
/// <c>metrics-stale</c> when any candidate lacks a fresh value.
/// </summary>
internal sealed class LeastGpuCachePolicy(IRandomSource random, RoutingOptions options, TimeProvider time)
    : LoadPolicy<LeastGpuCachePolicy.Signal>(random, options, time)
{
    public override string Name => RoutingPolicies.LeastGpuCache;

    /// <summary>The load this policy compares.</summary>
    internal readonly struct Signal : ILoadSignal
    {
        public static bool FromEngine => true;

        public static double Read(Endpoint endpoint, int outputTokens) => endpoint.Signals.KvGpu;
    }
}
