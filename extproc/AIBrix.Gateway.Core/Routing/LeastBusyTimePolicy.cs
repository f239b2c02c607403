using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Metrics;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// <c>least-busy-time</c>: the candidate with the least work queued, in seconds. Formula:
/// argmin (running + waiting) × mean end-to-end latency, from the engine's gauges and its
/// <c>e2e_request_latency_seconds</c> histogram; an engine with no completed request yet has a mean of 0
/// and so counts as not busy, which is true of a fresh pod. Fallback: least-request with
/// <c>metrics-missing</c> or <c>metrics-stale</c> when a candidate lacks fresh running/waiting gauges.
/// </summary>
internal sealed class LeastBusyTimePolicy(IRandomSource random, RoutingOptions options, TimeProvider time)
    : LoadPolicy(random, options, time)
{
    public override string Name => RoutingPolicies.LeastBusyTime;

    protected override bool TryReadLoad(Endpoint endpoint, EngineMetrics? metrics, RoutingRequest request, out double load)
    {
        if (metrics!.Running is not { } running || metrics.Waiting is not { } waiting)
        {
            load = double.NaN;
            return false;
        }

        load = (running + waiting) * (metrics.EndToEndLatency?.Mean ?? 0);
        return true;
    }
}
