using AIBrix.Gateway.Core.Endpoints;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// <c>least-request</c>: the candidate with the fewest requests in flight from this gateway.
/// The count is the gateway's own, so it reacts at once instead of one scrape later; ties are
/// broken at random so equal pods share the load instead of the first one taking every burst.
/// </summary>
internal sealed class LeastRequestPolicy(IRandomSource random) : IRoutingPolicy
{
    public string Name => RoutingPolicies.LeastRequest;

    public Endpoint Pick(RoutingRequest request, ReadOnlySpan<Endpoint> candidates)
    {
        if (candidates.Length == 1)
        {
            return candidates[0];
        }

        // Reservoir sampling over the minimum: one pass, no allocation, uniform among ties.
        Endpoint best = candidates[0];
        int bestLoad = best.InFlight;
        int ties = 1;
        for (int i = 1; i < candidates.Length; i++)
        {
            int load = candidates[i].InFlight;
            if (load < bestLoad)
            {
                best = candidates[i];
                bestLoad = load;
                ties = 1;
            }
            else if (load == bestLoad && random.Next(++ties) == 0)
            {
                best = candidates[i];
            }
        }

        request.Reason = $"in-flight {bestLoad}";
        return best;
    }
}
