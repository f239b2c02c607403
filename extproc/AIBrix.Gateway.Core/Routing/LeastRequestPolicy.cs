using AIBrix.Gateway.Core.Endpoints;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// <c>least-request</c>: the candidate with the fewest requests in flight from this gateway.
/// Formula: argmin InFlight. Input: the gateway's own counter, so it reacts at once instead of one
/// scrape later and is never missing. Ties: the scan starts at a random candidate, so equal pods
/// share the load instead of the first one taking every burst. This is also every other policy's fallback.
/// </summary>
internal sealed class LeastRequestPolicy(IRandomSource random, RoutingOptions? options = null, TimeProvider? time = null)
    : LoadPolicy<LeastRequestPolicy.Signal>(random, options ?? RoutingOptions.Default, time ?? TimeProvider.System)
{
    public override string Name => RoutingPolicies.LeastRequest;

    /// <summary>The load this policy compares.</summary>
    internal readonly struct Signal : ILoadSignal
    {
        public static bool FromEngine => false;

        public static double Read(Endpoint endpoint, int outputTokens) => endpoint.InFlight;
    }

    /// <summary>
    /// The least loaded candidate by in-flight count, scanning from <paramref name="start"/> to the end
    /// and then from the beginning, so the first minimum from <paramref name="start"/> wins ties.
    /// </summary>
    internal static Endpoint PickLeast(ReadOnlySpan<Endpoint> candidates, int start)
    {
        int best = start;
        int bestLoad = candidates[start].InFlight;
        var tail = candidates[(start + 1)..];
        for (int i = 0; i < tail.Length; i++)
        {
            int load = tail[i].InFlight;
            if (load < bestLoad)
            {
                best = start + 1 + i;
                bestLoad = load;
            }
        }

        var head = candidates[..start];
        for (int i = 0; i < head.Length; i++)
        {
            int load = head[i].InFlight;
            if (load < bestLoad)
            {
                best = i;
                bestLoad = load;
            }
        }

        return candidates[best];
    }
}
