using AIBrix.EngineMetrics;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing;
using static AIBrix.Gateway.Core.Tests.Routing.RoutingTestKit;
using Microsoft.Extensions.Time.Testing;

namespace AIBrix.Gateway.Core.Tests.Routing;

public class LeastLatencyPolicyTests
{
    private readonly FakeTimeProvider _time = RoutingTestKit.Clock();

    // a: slow prefill, fast decode; b: fast prefill, slow decode.
    private Endpoint[] Pods() =>
    [
        Pod("a", _time, new EngineMetricsSnapshot { QueueTime = Histogram(0.1), TimeToFirstToken = Histogram(1.0), TimePerOutputToken = Histogram(0.01) }),
        Pod("b", _time, new EngineMetricsSnapshot { QueueTime = Histogram(0.1), TimeToFirstToken = Histogram(0.2), TimePerOutputToken = Histogram(0.05) }),
    ];

    [Theory]
    [InlineData(4, "b")]    // a 1.14 s, b 0.5 s
    [InlineData(1000, "a")] // a 11.1 s, b 50.3 s
    public void Pick_QueuePlusPrefillPlusDecode_OutputLengthDecides(int maxTokens, string expected)
    {
        var policy = new LeastLatencyPolicy(new SeededRandomSource(1), RoutingOptions.Default, _time);

        Assert.Equal(expected, policy.Pick(Request(maxTokens: maxTokens), Pods()).Name);
    }

    [Fact]
    public void Pick_NoHistograms_FallsBackAndSaysSo()
    {
        var pods = new[] { Pods()[0], Pod("c", _time, new EngineMetricsSnapshot { Running = 0 }) };
        var policy = new LeastLatencyPolicy(new SeededRandomSource(1), RoutingOptions.Default, _time);
        var request = Request();

        policy.Pick(request, pods);

        Assert.Equal(LoadPolicy.MetricsMissing, request.Fallback);
    }
}
