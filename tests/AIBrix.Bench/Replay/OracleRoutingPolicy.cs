using AIBrix.EngineSim;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing;

namespace AIBrix.Bench.Replay;

/// <summary>
/// <c>oracle</c>: reads the engines' real KV caches and sends the request where the longest prefix of its
/// blocks is cached, breaking ties on the engines' real load (running + waiting), then at random. No
/// gateway can know this much; it bounds what routing on precise KV-cache events could reach.
/// </summary>
public sealed class OracleRoutingPolicy(IReadOnlyDictionary<string, EngineModel> engines, IRandomSource random) : IRoutingPolicy
{
    /// <summary>The policy's name on the command line.</summary>
    public const string PolicyName = "oracle";

    /// <inheritdoc/>
    public string Name => PolicyName;

    /// <summary>Block hashes of the request being routed (set by the replay just before routing).</summary>
    public ulong[] CurrentBlockHashes { get; set; } = [];

    /// <inheritdoc/>
    public Endpoint Pick(RoutingRequest request, ReadOnlySpan<Endpoint> candidates)
    {
        Endpoint best = candidates[0];
        int bestPrefix = -1, bestLoad = int.MaxValue, ties = 0;
        foreach (var candidate in candidates)
        {
            var engine = engines[candidate.Name];
            int prefix = CachedPrefixBlocks(engine);
            int load = engine.RunningCount + engine.WaitingCount;
            if (prefix > bestPrefix || (prefix == bestPrefix && load < bestLoad))
            {
                (best, bestPrefix, bestLoad, ties) = (candidate, prefix, load, 1);
            }
            else if (prefix == bestPrefix && load == bestLoad && random.Next(++ties) == 0)
            {
                best = candidate;
            }
        }

        request.Reason = $"cached blocks {bestPrefix}, load {bestLoad}";
        return best;
    }

    private int CachedPrefixBlocks(EngineModel engine)
    {
        int n = 0;
        while (n < CurrentBlockHashes.Length && engine.IsBlockCached(CurrentBlockHashes[n]))
        {
            n++;
        }

        return n;
    }
}
