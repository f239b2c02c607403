using AIBrix.Gateway.Core.Endpoints;

namespace AIBrix.Gateway.Core.Routing;

/// <summary><c>random</c>: a uniformly random ready candidate. The baseline every other policy must beat.</summary>
internal sealed class RandomPolicy(IRandomSource random) : IRoutingPolicy
{
    public string Name => RoutingPolicies.Random;

    public Endpoint Pick(RoutingRequest request, ReadOnlySpan<Endpoint> candidates) =>
        candidates.Length == 1 ? candidates[0] : candidates[random.Next(candidates.Length)];
}
