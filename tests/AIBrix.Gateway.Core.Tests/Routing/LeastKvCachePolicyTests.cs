using AIBrix.EngineMetrics;
using AIBrix.Gateway.Core.Routing;
using static AIBrix.Gateway.Core.Tests.Routing.RoutingTestKit;
using Microsoft.Extensions.Time.Testing;

namespace AIBrix.Gateway.Core.Tests.Routing;

public class LeastKvCachePolicyTests
{
    private readonly FakeTimeProvider _time = RoutingTestKit.Clock();

    [Theory]
    [InlineData(0.5, null, 0.4, null, "b")]
    [InlineData(0.2, 0.5, 0.4, 0.0, "b")] // CPU tier counts: 0.7 against 0.4
    [InlineData(0.2, 0.1, 0.4, 0.0, "a")]
    [InlineData(0.9, null, 0.1, 0.9, "a")]
    public void Pick_GpuPlusCpuUsage_LeastWins(double gpuA, double? cpuA, double gpuB, double? cpuB, string expected)
    {
        var pods = new[] { Pod("a", _time, Kv(gpuA, cpuA)), Pod("b", _time, Kv(gpuB, cpuB)) };
        var policy = new LeastKvCachePolicy(new SeededRandomSource(1), RoutingOptions.Default, _time);
        var request = Request();

        Assert.Equal(expected, policy.Pick(request, pods).Name);
        Assert.Null(request.Fallback);
    }

    [Fact]
    public void Pick_OneCandidateWithoutMetrics_FallsBackToLeastRequestAndSaysSo()
    {
        var pods = new[] { Pod("a", _time, Kv(0.0), inFlight: 5), Pod("b", _time, metrics: null, inFlight: 1) };
        var policy = new LeastKvCachePolicy(new SeededRandomSource(1), RoutingOptions.Default, _time);
        var request = Request();

        var picked = policy.Pick(request, pods);

        Assert.Equal("b", picked.Name); // least in flight, not the lowest reported usage
        Assert.Equal(LoadPolicy.MetricsMissing, request.Fallback);
    }

    [Fact]
    public void Pick_StaleMetrics_FallsBackWithStaleReason()
    {
        var pods = new[] { Pod("a", _time, Kv(0.1)), Pod("b", _time, Kv(0.9)) };
        _time.Advance(TimeSpan.FromSeconds(3));
        var policy = new LeastKvCachePolicy(new SeededRandomSource(1), RoutingOptions.Default, _time);
        var request = Request();

        policy.Pick(request, pods);

        Assert.Equal(LoadPolicy.MetricsStale, request.Fallback);
    }

    [Fact]
    public void Pick_FollowsEachScrape_AndAFailedScrapeLetsTheLastValuesGoStale()
    {
        var registry = new AIBrix.Gateway.Core.Endpoints.EndpointRegistry();
        static AIBrix.Gateway.Core.Endpoints.EndpointSpec Spec(string name, int n) =>
            new(name, $"10.9.0.{n}:8000", "llama", EngineKind.Vllm, null, new Dictionary<string, string>(), []);
        registry.Apply([Spec("a", 1), Spec("b", 2)]);
        var policy = new LeastKvCachePolicy(new SeededRandomSource(1), RoutingOptions.Default, _time);
        string PickName(RoutingRequest request) => policy.Pick(request, registry.Current.ReadyFor("llama").ToArray()).Name;

        registry.OnScraped("a", Kv(0.1), _time.GetUtcNow());
        registry.OnScraped("b", Kv(0.9), _time.GetUtcNow());
        string first = PickName(Request());
        registry.OnScraped("a", Kv(0.95), _time.GetUtcNow());
        string second = PickName(Request());
        _time.Advance(TimeSpan.FromSeconds(1));
        registry.OnScrapeFailed("b", "connection refused", _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(2));
        registry.OnScraped("a", Kv(0.95), _time.GetUtcNow());
        var third = Request();
        PickName(third);

        Assert.Equal(("a", "b"), (first, second));
        Assert.Equal(LoadPolicy.MetricsStale, third.Fallback); // b kept its last metrics, now 3 s old
    }

    [Fact]
    public void Score_LeastUsedScoresOneMostUsedZero()
    {
        var pods = new[] { Pod("a", _time, Kv(0.2)), Pod("b", _time, Kv(0.6)), Pod("c", _time, Kv(0.4)) };
        var policy = new LeastKvCachePolicy(new SeededRandomSource(1), RoutingOptions.Default, _time);
        var scores = new double[3];

        policy.Score(Request(), pods, scores);

        Assert.Equal([1.0, 0.0, 0.5], scores.Select(s => Math.Round(s, 9)).ToArray());
    }

    [Fact]
    public void Score_MissingMetrics_NoPreferenceAndFallbackReported()
    {
        var pods = new[] { Pod("a", _time, Kv(0.2)), Pod("b", _time, metrics: null) };
        var policy = new LeastKvCachePolicy(new SeededRandomSource(1), RoutingOptions.Default, _time);
        var scores = new double[] { 9, 9 };
        var request = Request();

        policy.Score(request, pods, scores);

        Assert.Equal([0.0, 0.0], scores);
        Assert.Equal(LoadPolicy.MetricsMissing, request.Fallback);
    }
}
