using AIBrix.EngineMetrics;
using AIBrix.Gateway.Core.Routing;
using static AIBrix.Gateway.Core.Tests.Routing.RoutingTestKit;
using Microsoft.Extensions.Time.Testing;

namespace AIBrix.Gateway.Core.Tests.Routing;

public class LeastGpuCachePolicyTests
{
    private readonly FakeTimeProvider _time = RoutingTestKit.Clock();

    [Theory]
    [InlineData(0.5, 0.4, "b")]
    [InlineData(0.1, 0.4, "a")]
    public void Pick_LeastGpuUsageWins_CpuTierIgnored(double gpuA, double gpuB, string expected)
    {
        var pods = new[] { Pod("a", _time, Kv(gpuA, cpu: 0.9)), Pod("b", _time, Kv(gpuB, cpu: 0.0)) };
        var policy = new LeastGpuCachePolicy(new SeededRandomSource(1), RoutingOptions.Default, _time);

        Assert.Equal(expected, policy.Pick(Request(), pods).Name);
    }

    [Fact]
    public void Pick_EngineWithoutKvGauge_FallsBack()
    {
        var pods = new[] { Pod("a", _time, Kv(0.5)), Pod("b", _time, new EngineMetricsSnapshot { Running = 1 }) };
        var policy = new LeastGpuCachePolicy(new SeededRandomSource(1), RoutingOptions.Default, _time);
        var request = Request();

        policy.Pick(request, pods);

        Assert.Equal(LoadPolicy.MetricsMissing, request.Fallback);
    }
}
