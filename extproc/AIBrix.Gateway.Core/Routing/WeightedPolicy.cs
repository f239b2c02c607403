using System.Buffers;
using AIBrix.Gateway.Core.Endpoints;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// A weighted mix of scorers: score_i = Σ w_s · s_s(i) / Σ w_s with every s_s in [0,1]; the highest
/// total wins, ties broken by a random scan start. Scorers that also learn (prefix-cache) are told of
/// the pick. Built by the registry from the <c>routing-strategy</c> header and cached per spelling.
/// </summary>
internal sealed class WeightedPolicy : IRoutingPolicy, IRoutingFeedback
{
    private readonly (IRoutingScorer Scorer, double Weight)[] _parts;
    private readonly double _totalWeight;
    private readonly IRandomSource _random;

    public WeightedPolicy((IRoutingScorer Scorer, double Weight)[] parts, IRandomSource random)
    {
        _parts = parts;
        _random = random;
        Name = WeightedStrategy.Canonical(parts);
        foreach (var (_, weight) in parts)
        {
            _totalWeight += weight;
        }
    }

    public string Name { get; }

    internal IReadOnlyList<(IRoutingScorer Scorer, double Weight)> Parts => _parts;

    public Endpoint Pick(RoutingRequest request, ReadOnlySpan<Endpoint> candidates)
    {
        if (candidates.Length == 1)
        {
            return candidates[0];
        }

        int n = candidates.Length;
        double[] rented = ArrayPool<double>.Shared.Rent(2 * n);
        try
        {
            var total = rented.AsSpan(0, n);
            var scores = rented.AsSpan(n, n);
            total.Clear();
            foreach (var (scorer, weight) in _parts)
            {
                scorer.Score(request, candidates, scores);
                double w = weight / _totalWeight;
                for (int i = 0; i < n; i++)
                {
                    total[i] += w * scores[i];
                }
            }

            return candidates[ScoreMath.ArgMax(total, _random.Next(n))];
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    public void OnRouted(RoutingRequest request, Endpoint target)
    {
        foreach (var (scorer, _) in _parts)
        {
            (scorer as IRoutingFeedback)?.OnRouted(request, target);
        }
    }
}
