using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing.KvEvents;
using AIBrix.Gateway.Core.Routing.Prefix;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// <c>prefix-cache-events</c>: <c>prefix-cache</c> on what the engines say they cached. The candidate with the
/// largest cached fraction of the prompt (<see cref="CacheOverlap"/>: KV-cache events where fresh, the gateway's
/// estimate elsewhere) that the <see cref="LoadGuard"/> allows; ties to fewer requests in flight. No overlap, or
/// every holder too loaded (<c>x-aibrix-routing-fallback: load-guard</c>): least-request.
/// </summary>
internal sealed class PrefixCacheEventsPolicy(CacheOverlap overlap, RoutingOptions options, IRandomSource random)
    : IRoutingPolicy, IRoutingFeedback
{
    public string Name => RoutingPolicies.PrefixCacheEvents;

    public Endpoint Pick(RoutingRequest request, ReadOnlySpan<Endpoint> candidates)
    {
        if (candidates.Length == 1)
        {
            return candidates[0];
        }

        Span<double> fractions = candidates.Length <= 256 ? stackalloc double[candidates.Length] : new double[candidates.Length];
        overlap.Fill(request, candidates, fractions, out int fromEvents);
        var guard = LoadGuard.For(candidates, options.LoadGuard);
        int start = random.Next(candidates.Length);
        int best = -1;
        bool anyMatch = false;
        for (int k = 0; k < candidates.Length; k++)
        {
            int i = (start + k) % candidates.Length;
            anyMatch |= fractions[i] > 0;
            if (fractions[i] <= 0 || !guard.Allows(candidates[i]))
            {
                continue;
            }

            if (best < 0 || fractions[i] > fractions[best] || (fractions[i] == fractions[best] && candidates[i].InFlight < candidates[best].InFlight))
            {
                best = i;
            }
        }

        if (best < 0)
        {
            if (anyMatch)
            {
                request.Fallback = PrefixCachePolicy.GuardFallback;
            }

            return LeastRequestPolicy.PickLeast(candidates, start);
        }

        request.Reason = $"cached {fractions[best]:P0} ({fromEvents} pods from events)";
        return candidates[best];
    }

    public void OnRouted(RoutingRequest request, Endpoint target) => overlap.Record(request, target);
}
