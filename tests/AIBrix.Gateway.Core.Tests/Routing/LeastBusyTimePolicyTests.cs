using AIBrix.EngineMetrics;
using AIBrix.Gateway.Core.Routing;
using static AIBrix.Gateway.Core.Tests.Routing.RoutingTestKit;
using Microsoft.Extensions.Time.Testing;

namespace AIBrix.Gateway.Core.Tests.Routing;

public class LeastBusyTimePolicyTests
{
    private readonly FakeTimeProvider _time = RoutingTestKit.Clock();

    [Theory]
    [InlineData(4, 0, 1.0, 1, 1, 1.0, "b")] // 4 s of work against 2 s
    [InlineData(4, 0, 0.2, 1, 1, 1.0, "a")] // short requests: 0.8 s against 2 s
    [InlineData(0, 0, 5.0, 1, 0, 0.1, "a")] // idle beats anything
    public void Pick_LeastQueuedSeconds(double runA, double waitA, double e2eA, double runB, double waitB, double e2eB, string expected)
    {
        var pods = new[]
        {
            Pod("a", _time, new EngineMetricsSnapshot { Running = runA, Waiting = waitA, EndToEndLatency = Histogram(e2eA) }),
            Pod("b", _time, new EngineMetricsSnapshot { Running = runB, Waiting = waitB, EndToEndLatency = Histogram(e2eB) }),
        };
        var policy = new LeastBusyTimePolicy(new SeededRandomSource(1), RoutingOptions.Default, _time);

        Assert.Equal(expected, policy.Pick(Request(), pods).Name);
    }

    [Fact]
    public void Pick_NoWaitingGauge_FallsBackAndSaysSo()
    {
        var pods = new[] { Pod("a", _time, new EngineMetricsSnapshot { Running = 1, Waiting = 0 }), Pod("b", _time, new EngineMetricsSnapshot { Running = 1 }) };
        var policy = new LeastBusyTimePolicy(new SeededRandomSource(1), RoutingOptions.Default, _time);
        var request = Request();

        policy.Pick(request, pods);

        Assert.Equal(LoadPolicy.MetricsMissing, request.Fallback);
    }
}
