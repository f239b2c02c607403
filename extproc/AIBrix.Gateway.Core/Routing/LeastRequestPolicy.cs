using AIBrix.Gateway.Core.Endpoints;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// <c>least-request</c>: the candidate with the fewest requests in flight from this gateway.
/// The count is the gateway's own, so it reacts at once instead of one scrape later; ties are
/// broken at random so equal pods share the load instead of the first one taking every burst.
/// Two passes (find the minimum and count its ties, then take the k-th tie) cost one random draw
/// per decision, and nothing is allocated.
/// </summary>
internal sealed class LeastRequestPolicy(IRandomSource random) : IRoutingPolicy
{
    private static readonly string[] Reasons = Enumerable.Range(0, 256).Select(n => $"in-flight {n}").ToArray();

    public string Name => RoutingPolicies.LeastRequest;

    public Endpoint Pick(RoutingRequest request, ReadOnlySpan<Endpoint> candidates)
    {
        if (candidates.Length == 1)
        {
            return candidates[0];
        }

        int min = int.MaxValue;
        int ties = 0;
        foreach (var candidate in candidates)
        {
            int load = candidate.InFlight;
            if (load < min)
            {
                min = load;
                ties = 1;
            }
            else if (load == min)
            {
                ties++;
            }
        }

        // Loads can change between the passes (other requests route concurrently); if the k-th tie
        // is gone, the first candidate at or below the minimum still is a least-loaded choice.
        int k = ties > 1 ? random.Next(ties) : 0;
        Endpoint? chosen = null;
        foreach (var candidate in candidates)
        {
            int load = candidate.InFlight;
            if (load <= min)
            {
                chosen ??= candidate;
                if (load == min && k-- == 0)
                {
                    chosen = candidate;
                    break;
                }
            }
        }

        chosen ??= candidates[0];
        request.Reason = (uint)min < (uint)Reasons.Length ? Reasons[min] : $"in-flight {min}";
        return chosen;
    }
}
