using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing.Prefix;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// <c>prefix-cache-preble</c>: Preble's (Srivatsa et al., 2024) exploit/explore rule over the prefix index.
/// The index's chained block hashes are the paths of a hashed radix tree over the prompt's blocks, each
/// node (block hash) listing the pods that hold it.
/// Exploit: when some allowed candidate holds at least <see cref="ExploitRatio"/> of the prompt's blocks,
/// take the longest match (fewest in flight on a tie), as long as the <see cref="LoadGuard"/> allows it.
/// Explore: otherwise take the candidate of least cost, in tokens,
/// <c>cost = load + prefill + eviction</c> with load = the tokens in flight there (gateway count),
/// prefill = uncached blocks × block size, eviction = GPU KV usage × prefill (filling a fuller cache evicts
/// other prefixes; 0 when the pod's metrics are missing, so a missing signal never makes a pod look
/// cheaper than one that reports). Defaults: ratio 0.5 as in the paper; guard as <see cref="LoadGuardOptions"/>.
/// </summary>
internal sealed class PrefixCachePreblePolicy(PrefixIndex index, PrefixHasher hasher, RoutingOptions options, IRandomSource random)
    : IRoutingPolicy, IRoutingFeedback
{
    /// <summary>Share of the prompt's blocks a pod must hold for the exploit branch.</summary>
    public const double ExploitRatio = 0.5;

    public string Name => RoutingPolicies.PrefixCachePreble;

    public Endpoint Pick(RoutingRequest request, ReadOnlySpan<Endpoint> candidates)
    {
        if (candidates.Length == 1)
        {
            return candidates[0];
        }

        var hashes = hasher.Hash(request);
        using var match = PrefixMatch.Find(index, hashes, candidates);
        int start = random.Next(candidates.Length);
        int best = match.BestAllowed(candidates, LoadGuard.For(candidates, options.LoadGuard), ExploitRatio * hashes.Length, start);
        if (best >= 0)
        {
            request.Reason = "exploit";
            return candidates[best];
        }

        double bestCost = double.PositiveInfinity;
        for (int k = 0; k < candidates.Length; k++)
        {
            int i = (start + k) % candidates.Length;
            var endpoint = candidates[i];
            double prefill = (hashes.Length - match.Blocks[i]) * (double)hasher.BlockSize;
            double kvUsage = endpoint.Metrics?.KvCacheUsage ?? 0;
            double cost = endpoint.InFlightTokens + prefill + (kvUsage * prefill);
            if (cost < bestCost)
            {
                bestCost = cost;
                best = i;
            }
        }

        request.Reason = "explore";
        return candidates[best];
    }

    public void OnRouted(RoutingRequest request, Endpoint target) => index.Record(hasher.Hash(request), target);
}
