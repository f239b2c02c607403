using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing;
using static AIBrix.Gateway.Core.Tests.TestEndpoints;

namespace AIBrix.Gateway.Core.Tests.Routing;

public class LeastRequestPolicyTests
{
    [Fact]
    public void Pick_PrefersFewestInFlight()
    {
        var registry = ReadyRegistry(Spec("a", "10.0.0.1:8000"), Spec("b", "10.0.0.2:8000"), Spec("c", "10.0.0.3:8000"));
        var endpoints = registry.Current.ReadyFor("llama").ToArray();
        var leases = new List<InFlightLease> { endpoints[0].Acquire(), endpoints[0].Acquire(), endpoints[2].Acquire() };
        var policy = new LeastRequestPolicy(new SeededRandomSource(1));

        var picked = policy.Pick(new RoutingRequest(), endpoints);

        Assert.Equal("b", picked.Name);
        leases.ForEach(l => l.Dispose());
    }

    [Fact]
    public void Pick_Ties_SpreadAcrossAllTiedEndpoints()
    {
        var registry = ReadyRegistry(Spec("a", "10.0.0.1:8000"), Spec("b", "10.0.0.2:8000"), Spec("c", "10.0.0.3:8000"));
        var endpoints = registry.Current.ReadyFor("llama").ToArray();
        var policy = new LeastRequestPolicy(new SeededRandomSource(7));
        var counts = new Dictionary<string, int>();

        for (int i = 0; i < 3000; i++)
        {
            var name = policy.Pick(new RoutingRequest(), endpoints).Name;
            counts[name] = counts.GetValueOrDefault(name) + 1;
        }

        Assert.Equal(3, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 850, 1150));
    }

    [Fact]
    public void Pick_SequentialBurstWithLeasesHeld_BalancesExactly()
    {
        var registry = ReadyRegistry(Spec("a", "10.0.0.1:8000"), Spec("b", "10.0.0.2:8000"), Spec("c", "10.0.0.3:8000"), Spec("d", "10.0.0.4:8000"));
        var endpoints = registry.Current.ReadyFor("llama").ToArray();
        var policy = new LeastRequestPolicy(new SeededRandomSource(3));
        var leases = new List<InFlightLease>();

        for (int i = 0; i < 40; i++)
        {
            leases.Add(policy.Pick(new RoutingRequest(), endpoints).Acquire());
        }

        Assert.All(endpoints, e => Assert.Equal(10, e.InFlight));
        leases.ForEach(l => l.Dispose());
    }
}
