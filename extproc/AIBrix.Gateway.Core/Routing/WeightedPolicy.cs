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
        // One row of totals, then one row per scorer, kept so the winner's score can be told part by part.
        double[] rented = ArrayPool<double>.Shared.Rent((_parts.Length + 1) * n);
        try
        {
            var total = rented.AsSpan(0, n);
            total.Clear();
            for (int p = 0; p < _parts.Length; p++)
            {
                var scores = rented.AsSpan((p + 1) * n, n);
                _parts[p].Scorer.Score(request, candidates, scores);
                double w = _parts[p].Weight / _totalWeight;
                for (int i = 0; i < n; i++)
                {
                    total[i] += w * scores[i];
                }
            }

            int best = ScoreMath.ArgMax(total, _random.Next(n));
            for (int p = 0; p < _parts.Length; p++)
            {
                request.AddScorePart(_parts[p].Scorer.Name, _parts[p].Weight / _totalWeight * rented[((p + 1) * n) + best]);
            }

            return candidates[best];
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
