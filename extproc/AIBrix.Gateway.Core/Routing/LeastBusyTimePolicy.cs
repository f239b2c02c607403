using AIBrix.Gateway.Core.Endpoints;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// <c>least-busy-time</c>: the candidate with the least work queued, in seconds. Formula:
/// argmin (running + waiting) × mean end-to-end latency, from the engine's gauges and its
/// <c>e2e_request_latency_seconds</c> histogram; an engine with no completed request yet has a mean of 0
/// and so counts as not busy, which is true of a fresh pod. Fallback: least-request with
/// <c>metrics-missing</c> or <c>metrics-stale</c> when a candidate lacks fresh running/waiting gauges.
/// </summary>
internal sealed class LeastBusyTimePolicy(IRandomSource random, RoutingOptions options, TimeProvider time)
    : LoadPolicy<LeastBusyTimePolicy.Signal>(random, options, time)
{
    public override string Name => RoutingPolicies.LeastBusyTime;

    /// <summary>The load this policy compares.</summary>
    internal readonly struct Signal : ILoadSignal
    {
        public static bool FromEngine => true;

        public static double Read(Endpoint endpoint, int outputTokens) => endpoint.Signals.BusyTime;
    }
}
