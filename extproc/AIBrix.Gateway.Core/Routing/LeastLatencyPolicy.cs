using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Metrics;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// <c>least-latency</c>: the candidate expected to finish this request first. Formula:
/// argmin mean(queue time) + mean(TTFT) + mean(TPOT) × output tokens, the means read from the engine's
/// histograms and output tokens being <c>max_tokens</c> or <see cref="RoutingOptions.DefaultOutputTokens"/>.
/// A histogram with no observations counts 0 (a fresh pod has no queue). Fallback: least-request with
/// <c>metrics-missing</c> when a candidate exposes none of the three histograms, <c>metrics-stale</c> when old.
/// </summary>
internal sealed class LeastLatencyPolicy(IRandomSource random, RoutingOptions options, TimeProvider time)
    : LoadPolicy(random, options, time)
{
    public override string Name => RoutingPolicies.LeastLatency;

    protected override bool TryReadLoad(Endpoint endpoint, EngineMetrics? metrics, RoutingRequest request, out double load)
    {
        if (metrics!.QueueTime is null && metrics.TimeToFirstToken is null && metrics.TimePerOutputToken is null)
        {
            load = double.NaN;
            return false;
        }

        int outputTokens = request.MaxTokens ?? Options.DefaultOutputTokens;
        load = (metrics.QueueTime?.Mean ?? 0)
            + (metrics.TimeToFirstToken?.Mean ?? 0)
            + ((metrics.TimePerOutputToken?.Mean ?? 0) * outputTokens);
        return true;
    }
}
