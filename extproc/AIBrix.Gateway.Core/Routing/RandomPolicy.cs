using AIBrix.Gateway.Core.Endpoints;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// <c>random</c>: a uniformly random ready candidate. The baseline every other policy must beat.
/// As a scorer it gives every candidate a random score in [0,1), which spreads a weighted mix's ties.
/// </summary>
internal sealed class RandomPolicy(IRandomSource random) : IRoutingPolicy, IRoutingScorer
{
    private const int Resolution = 1 << 20;

    public string Name => RoutingPolicies.Random;

    public Endpoint Pick(RoutingRequest request, ReadOnlySpan<Endpoint> candidates) =>
        candidates.Length == 1 ? candidates[0] : candidates[random.Next(candidates.Length)];

    public void Score(RoutingRequest request, ReadOnlySpan<Endpoint> candidates, Span<double> scores)
    {
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = random.Next(Resolution) / (double)Resolution;
        }
    }
}
