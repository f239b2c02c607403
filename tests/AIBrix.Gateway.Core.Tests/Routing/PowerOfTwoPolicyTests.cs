using AIBrix.Gateway.Core.Routing;
using static AIBrix.Gateway.Core.Tests.Routing.RoutingTestKit;

namespace AIBrix.Gateway.Core.Tests.Routing;

public class PowerOfTwoPolicyTests
{
    [Fact]
    public void Pick_TwoCandidates_AlwaysTheLessLoaded()
    {
        var pods = Pods(2);
        using var busy = pods[0].Acquire();
        var policy = new PowerOfTwoPolicy(new SeededRandomSource(3));

        for (int i = 0; i < 100; i++)
        {
            Assert.Equal("p1", policy.Pick(Request(), pods).Name);
        }
    }

    [Fact]
    public void Pick_ManyCandidates_NeverTheMostLoaded()
    {
        var pods = Pods(5);
        var leases = Enumerable.Range(0, 10).Select(_ => pods[2].Acquire()).ToList();
        var policy = new PowerOfTwoPolicy(new SeededRandomSource(9));

        var picked = Enumerable.Range(0, 500).Select(_ => policy.Pick(Request(), pods).Name).ToHashSet();

        Assert.DoesNotContain("p2", picked);
        Assert.Equal(4, picked.Count);
        leases.ForEach(l => l.Dispose());
    }
}
