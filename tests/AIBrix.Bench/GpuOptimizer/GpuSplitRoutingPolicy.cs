using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing;
using AIBrix.GpuOptimizer;

namespace AIBrix.Bench.GpuOptimizer;

/// <summary>
/// <c>gpu-split</c>: routes as Mélange assumes, by the optimizer's split of each length bucket. The request's bucket
/// comes from its prompt length and <c>max_tokens</c>; a GPU type is drawn with the probability of its share of the
/// bucket's slices, and the least-loaded pod (gateway in-flight count) of that type takes it. A request whose bucket
/// has no load in the plan, or whose type has no ready pod, goes to the least-loaded pod of any type. Pods belong to a
/// type by their name prefix (<c>a10-3</c> is an A10).
/// </summary>
internal sealed class GpuSplitRoutingPolicy(BucketGrid grid, Allocation allocation, IReadOnlyDictionary<string, string> podPrefixByDeployment, IRandomSource random)
    : IRoutingPolicy
{
    /// <summary>The policy's name on the command line.</summary>
    public const string PolicyName = "gpu-split";

    private readonly Dictionary<(int, int), (string Prefix, int Slices)[]> _split = allocation.Buckets.ToDictionary(
        b => (b.Row, b.Column),
        b => b.SlicesByGpu.Where(s => s.Value > 0).Select(s => (podPrefixByDeployment[s.Key], s.Value)).ToArray());

    /// <inheritdoc/>
    public string Name => PolicyName;

    /// <inheritdoc/>
    public Endpoint Pick(RoutingRequest request, ReadOnlySpan<Endpoint> candidates)
    {
        var bucket = grid.Locate(request.EstimatedPromptTokens, request.MaxTokens ?? 1);
        string? prefix = null;
        if (_split.TryGetValue(bucket, out var shares) && shares.Length > 0)
        {
            int draw = random.Next(shares.Sum(s => s.Slices));
            foreach (var (p, slices) in shares)
            {
                if ((draw -= slices) < 0)
                {
                    prefix = p;
                    break;
                }
            }
        }

        var best = LeastLoaded(candidates, prefix) ?? LeastLoaded(candidates, null)!;
        request.Reason = $"bucket {grid.Describe(bucket.Row, bucket.Column)} -> {prefix ?? "any"}";
        return best;
    }

    private Endpoint? LeastLoaded(ReadOnlySpan<Endpoint> candidates, string? prefix)
    {
        Endpoint? best = null;
        int ties = 0;
        foreach (var candidate in candidates)
        {
            if (prefix is not null && !candidate.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (best is null || candidate.InFlight < best.InFlight)
            {
                (best, ties) = (candidate, 1);
            }
            else if (candidate.InFlight == best.InFlight && random.Next(++ties) == 0)
            {
                best = candidate;
            }
        }

        return best;
    }
}
