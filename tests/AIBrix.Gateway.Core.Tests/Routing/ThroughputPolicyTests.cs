using AIBrix.Gateway.Core.Routing;
using static AIBrix.Gateway.Core.Tests.Routing.RoutingTestKit;
using Microsoft.Extensions.Time.Testing;

namespace AIBrix.Gateway.Core.Tests.Routing;

public class ThroughputPolicyTests
{
    [Fact]
    public void Pick_LeastTokenLoadWins_EvenWithMoreRequests()
    {
        var pods = Pods(2);
        var leases = new[] { pods[0].Acquire(4000), pods[1].Acquire(100), pods[1].Acquire(100) };
        var policy = new ThroughputPolicy(new SeededRandomSource(1), RoutingOptions.Default, RoutingTestKit.Clock());

        Assert.Equal("p1", policy.Pick(Request(), pods).Name);
        Array.ForEach(leases, l => l.Dispose());
        Assert.Equal(0, pods[0].InFlightTokens);
    }

    [Fact]
    public void Pick_NeverFallsBack_NoEngineMetricsNeeded()
    {
        var time = RoutingTestKit.Clock();
        var pods = new[] { Pod("a", time, metrics: null), Pod("b", time, metrics: null) };
        var policy = new ThroughputPolicy(new SeededRandomSource(1), RoutingOptions.Default, time);
        var request = Request();

        policy.Pick(request, pods);

        Assert.Null(request.Fallback);
    }
}
