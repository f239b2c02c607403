using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Metrics;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// <c>least-gpu-cache</c>: the candidate using the least GPU KV cache. Formula: argmin gpu_cache_usage
/// in [0,1]. Input: engine metrics. Fallback: least-request with <c>metrics-missing</c> or
/// <c>metrics-stale</c> when any candidate lacks a fresh value.
/// </summary>
internal sealed class LeastGpuCachePolicy(IRandomSource random, RoutingOptions options, TimeProvider time)
    : LoadPolicy(random, options, time)
{
    public override string Name => RoutingPolicies.LeastGpuCache;

    protected override bool TryReadLoad(Endpoint endpoint, EngineMetrics? metrics, RoutingRequest request, out double load)
    {
        load = metrics!.KvCacheUsage ?? double.NaN;
        return true;
    }
}
