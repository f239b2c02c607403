using AIBrix.Gateway.Core.Endpoints;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// <c>power-of-two</c>: two distinct random candidates, the one with fewer requests in flight wins
/// (the first drawn on a tie). O(1) whatever the fleet size, and unlike least-request it does not send
/// every gateway replica's burst to the same globally least loaded pod. Input: the gateway's in-flight counts.
/// </summary>
internal sealed class PowerOfTwoPolicy(IRandomSource random) : IRoutingPolicy
{
    public string Name => RoutingPolicies.PowerOfTwo;

    public Endpoint Pick(RoutingRequest request, ReadOnlySpan<Endpoint> candidates)
    {
        if (candidates.Length == 1)
        {
            return candidates[0];
        }

        int first = random.Next(candidates.Length);
        int second = random.Next(candidates.Length - 1);
        if (second >= first)
        {
            second++; // draw from the others, so the two are distinct without a retry loop
        }

        return candidates[second].InFlight < candidates[first].InFlight ? candidates[second] : candidates[first];
    }
}
