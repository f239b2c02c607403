using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing.Prefix;

namespace AIBrix.Gateway.Core.Routing.KvEvents;

/// <summary>
/// The fraction of the request's prompt each candidate has cached: from the engines' events where the pod's
/// index is fresh (engine block hashes), else from the gateway's own prefix index (its block hashes), so the two
/// sources compare on one scale. Shared by <c>prefix-cache-events</c> and <c>kv-cost</c>.
/// </summary>
internal sealed class CacheOverlap(KvBlockIndex events, IEngineBlockHasher? engineHasher, PrefixIndex estimate, PrefixHasher hasher)
{
    /// <summary>Fills <paramref name="fractions"/>; returns the prompt's length in engine tokens (or the estimate's).</summary>
    public int Fill(RoutingRequest request, ReadOnlySpan<Endpoint> candidates, Span<double> fractions, out int fromEvents)
    {
        fromEvents = 0;
        ulong[] engineHashes = [];
        int tokens = request.EstimatedPromptTokens;
        if (engineHasher is not null && events.PodCount > 0)
        {
            if (request.EngineBlockHashes is null)
            {
                (request.EngineBlockHashes, request.EnginePromptTokens) = engineHasher.Hash(request);
            }

            engineHashes = request.EngineBlockHashes;
            tokens = request.EnginePromptTokens;
        }

        bool needEstimate = false;
        if (engineHashes.Length > 0)
        {
            Span<int> blocks = candidates.Length <= 256 ? stackalloc int[candidates.Length] : new int[candidates.Length];
            fromEvents = events.MatchAll(candidates, engineHashes, blocks);
            for (int i = 0; i < candidates.Length; i++)
            {
                if (blocks[i] >= 0)
                {
                    fractions[i] = Math.Min(1.0, blocks[i] * (double)engineHasher!.BlockSize / Math.Max(1, tokens));
                }
                else
                {
                    fractions[i] = double.NaN;
                    needEstimate = true;
                }
            }
        }
        else
        {
            fractions[..candidates.Length].Fill(double.NaN);
            needEstimate = true;
        }

        if (needEstimate)
        {
            var hashes = hasher.Hash(request);
            using var match = PrefixMatch.Find(estimate, hashes, candidates);
            for (int i = 0; i < candidates.Length; i++)
            {
                if (double.IsNaN(fractions[i]))
                {
                    fractions[i] = hashes.IsEmpty ? 0 : match.Blocks[i] / (double)hashes.Length;
                }
            }
        }

        return tokens;
    }

    /// <summary>Records the decision in the estimate (for pods whose events are missing or resyncing).</summary>
    public void Record(RoutingRequest request, Endpoint target) => estimate.Record(hasher.Hash(request), target);
}
