using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing.Prefix;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// <c>prefix-cache</c>: the candidate holding the longest chain of the prompt's leading blocks, as long
/// as the <see cref="LoadGuard"/> allows it; among equal matches the one with fewer requests in flight.
/// Inputs: the <see cref="PrefixIndex"/> (blocks recorded for the chosen pod after every decision),
/// in-flight counts. With no match the request goes to least-request; when the guard rejects every
/// matching pod it does too and <c>x-aibrix-routing-fallback: load-guard</c> says so. As a scorer:
/// matched blocks / prompt blocks for pods the guard allows, 0 for the others.
/// </summary>
internal sealed class PrefixCachePolicy(PrefixIndex index, PrefixHasher hasher, RoutingOptions options, IRandomSource random)
    : IRoutingPolicy, IRoutingScorer, IRoutingFeedback
{
    /// <summary>Fallback reason: every pod holding the prefix was too loaded.</summary>
    public const string GuardFallback = "load-guard";

    public string Name => RoutingPolicies.PrefixCache;

    public Endpoint Pick(RoutingRequest request, ReadOnlySpan<Endpoint> candidates)
    {
        if (candidates.Length == 1)
        {
            return candidates[0];
        }

        var hashes = hasher.Hash(request);
        using var match = PrefixMatch.Find(index, hashes, candidates);
        int start = random.Next(candidates.Length);
        if (match.Longest == 0)
        {
            (request.MatchedBlocks, request.PromptBlocks) = (0, hashes.Length);
            return LeastRequestPolicy.PickLeast(candidates, start);
        }

        int best = match.BestAllowed(candidates, LoadGuard.For(candidates, options.LoadGuard), 1, start);
        request.PromptBlocks = hashes.Length;
        if (best < 0)
        {
            request.Fallback = GuardFallback;
            var least = LeastRequestPolicy.PickLeast(candidates, start);
            for (int i = 0; i < candidates.Length; i++)
            {
                if (ReferenceEquals(candidates[i], least))
                {
                    request.MatchedBlocks = match.Blocks[i];
                }
            }

            return least;
        }

        request.MatchedBlocks = match.Blocks[best];
        return candidates[best];
    }

    public void Score(RoutingRequest request, ReadOnlySpan<Endpoint> candidates, Span<double> scores)
    {
        var hashes = hasher.Hash(request);
        using var match = PrefixMatch.Find(index, hashes, candidates);
        var guard = LoadGuard.For(candidates, options.LoadGuard);
        for (int i = 0; i < candidates.Length; i++)
        {
            scores[i] = hashes.IsEmpty || !guard.Allows(candidates[i]) ? 0 : match.Blocks[i] / (double)hashes.Length;
        }
    }

    public void OnRouted(RoutingRequest request, Endpoint target) => index.Record(hasher.Hash(request), target);
}
