using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing;
using static AIBrix.Gateway.Core.Tests.Routing.RoutingTestKit;
using Microsoft.Extensions.Time.Testing;

namespace AIBrix.Gateway.Core.Tests.Routing;

public class WeightedPolicyTests
{
    private readonly FakeTimeProvider _time = RoutingTestKit.Clock();

    private sealed class FixedScorer(string name, params double[] values) : IRoutingScorer
    {
        public string Name => name;

        public void Score(RoutingRequest request, ReadOnlySpan<Endpoint> candidates, Span<double> scores) => values.CopyTo(scores);
    }

    [Theory]
    [InlineData(1.0, 4.0, "p1")]
    [InlineData(4.0, 1.0, "p0")]
    public void Pick_WeightedSumOfScores(double wA, double wB, string expected)
    {
        var pods = Pods(2, _time);
        var a = new FixedScorer("a", 1.0, 0.0);
        var b = new FixedScorer("b", 0.0, 1.0);
        var policy = new WeightedPolicy([(a, wA), (b, wB)], new SeededRandomSource(1));

        Assert.Equal(expected, policy.Pick(Request(), pods).Name);
    }

    [Fact]
    public void Pick_PrefixAndLeastRequest_CacheWinsUntilLoadOutweighsIt()
    {
        var pods = Pods(2, _time);
        var registry = RoutingPolicyRegistry.CreateDefault(null, new SeededRandomSource(1), Options(blockSize: 4), _time);
        Assert.True(registry.TryResolve("prefix-cache:2,least-request:1", out var policy, out _));
        var holder = Route(policy, Request("cached prompt"), pods);
        var other = pods.Single(p => p != holder);
        using var busy = holder.Acquire();

        Assert.Same(holder, policy.Pick(Request("cached prompt"), pods)); // 2·1 + 1·0 against 2·0 + 1·1
    }

    [Fact]
    public void Pick_MetricScorerMissing_FallbackVisible()
    {
        var pods = new[] { Pod("a", _time, Kv(0.1)), Pod("b", _time, metrics: null) };
        var registry = RoutingPolicyRegistry.CreateDefault(null, new SeededRandomSource(1), RoutingOptions.Default, _time);
        registry.TryResolve("least-kv-cache:1,least-request:1", out var policy, out _);
        var request = Request();

        policy.Pick(request, pods);

        Assert.Equal(LoadPolicy.MetricsMissing, request.Fallback);
    }

    [Fact]
    public void Pick_RecordsTheWinnersScorePartByPart_ForTheOperatorPage()
    {
        var pods = Pods(2, _time);
        var policy = new WeightedPolicy([(new FixedScorer("a", 0.5, 1.0), 3.0), (new FixedScorer("b", 1.0, 0.0), 1.0)], new SeededRandomSource(1));
        var request = Request();

        Assert.Equal("p1", policy.Pick(request, pods).Name); // 0.75·1 + 0.25·0 = 0.75 against 0.75·0.5 + 0.25·1 = 0.625

        Assert.Equal([new("a", 0.75), new("b", 0.0)], request.ScoreParts);
        request.ResetDecision();
        Assert.Empty(request.ScoreParts);
    }

    [Fact]
    public void PrefixCache_RecordsMatchedAndPromptBlocks()
    {
        var pods = Pods(2, _time);
        var registry = RoutingPolicyRegistry.CreateDefault(null, new SeededRandomSource(1), Options(blockSize: 4), _time);
        Assert.True(registry.TryResolve("prefix-cache", out var policy, out _));
        var first = Request("a prompt long enough for several blocks");
        Route(policy, first, pods);
        Assert.Equal(0, first.MatchedBlocks);

        var second = Request("a prompt long enough for several blocks");
        Route(policy, second, pods);
        Assert.True(second.PromptBlocks > 1, $"prompt blocks: {second.PromptBlocks}");
        Assert.Equal(second.PromptBlocks, second.MatchedBlocks);
    }
}
