using AIBrix.Gateway.Core.Endpoints;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// <c>least-latency</c>: the candidate expected to finish this request first. Formula:
/// argmin mean(queue time) + mean(TTFT) + mean(TPOT) × output tokens, the means read from the engine's
/// histograms and output tokens being <c>max_tokens</c> or <see cref="RoutingOptions.DefaultOutputTokens"/>.
/// A histogram with no observations counts 0 (a fresh pod has no queue). Fallback: least-request with
/// <c>metrics-missing</c> when a candidate exposes none of the three histograms, <c>metrics-stale</c> when old.
/// </summary>
internal sealed class LeastLatencyPolicy(IRandomSource random, RoutingOptions options, TimeProvider time)
    : LoadPolicy<LeastLatencyPolicy.Signal>(random, options, time)
{
    public override string Name => RoutingPolicies.LeastLatency;

    /// <summary>The load this policy compares.</summary>
    internal readonly struct Signal : ILoadSignal
    {
        public static bool FromEngine => true;

        public static double Read(Endpoint endpoint, int outputTokens) => endpoint.Signals.LatencyBase + (endpoint.Signals.TpotMean * outputTokens);
    }
}
