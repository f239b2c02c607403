using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Metrics;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// <c>least-request</c>: the candidate with the fewest requests in flight from this gateway.
/// Formula: argmin InFlight. Input: the gateway's own counter, so it reacts at once instead of one
/// scrape later and is never missing. Ties: the scan starts at a random candidate, so equal pods
/// share the load instead of the first one taking every burst. This is also every other policy's fallback.
/// </summary>
internal sealed class LeastRequestPolicy(IRandomSource random, RoutingOptions? options = null, TimeProvider? time = null)
    : LoadPolicy(random, options ?? RoutingOptions.Default, time ?? TimeProvider.System)
{
    public override string Name => RoutingPolicies.LeastRequest;

    protected override bool ReadsEngineMetrics => false;

    protected override bool TryReadLoad(Endpoint endpoint, EngineMetrics? metrics, RoutingRequest request, out double load)
    {
        load = endpoint.InFlight;
        return true;
    }

    /// <summary>The least loaded candidate by in-flight count, scanning from <paramref name="start"/>.</summary>
    internal static Endpoint PickLeast(ReadOnlySpan<Endpoint> candidates, int start)
    {
        int n = candidates.Length;
        Endpoint best = candidates[start];
        int bestLoad = best.InFlight;
        for (int k = 1; k < n; k++)
        {
            int i = start + k < n ? start + k : start + k - n;
            int load = candidates[i].InFlight;
            if (load < bestLoad)
            {
                best = candidates[i];
                bestLoad = load;
            }
        }

        return best;
    }
}
