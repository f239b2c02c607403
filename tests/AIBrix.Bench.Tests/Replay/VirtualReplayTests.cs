using AIBrix.Bench.Replay;

namespace AIBrix.Bench.Tests.Replay;

public sealed class VirtualReplayTests
{
    private static ReplaySummary Run(string policy, int seed, IReadOnlyList<TraceRequest> trace, int pods = 3, double timeScale = 1) =>
        new VirtualReplay(new ReplayOptions { TracePath = "test.jsonl", Pods = pods, Policy = policy, Seed = seed, TimeScale = timeScale }, trace)
            .Run().Summarise();

    [Fact]
    public void Run_SameSeed_SameJson()
    {
        var trace = TraceReader.Read(ReplayTestTraces.Mooncake, limit: 120);

        string first = Run("random", 7, trace).ToJson();
        string second = Run("random", 7, trace).ToJson();

        Assert.Equal(first, second);
        Assert.Contains("\"requests\":120", first, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_LeastRequestSameSeed_SameJson()
    {
        var trace = TraceReader.Read(ReplayTestTraces.Mooncake, limit: 120);

        Assert.Equal(Run("least-request", 3, trace).ToJson(), Run("least-request", 3, trace).ToJson());
    }

    [Fact]
    public void Run_RandomWithOtherSeed_RoutesDifferently()
    {
        var trace = TraceReader.Read(ReplayTestTraces.Mooncake, limit: 120);

        var a = Run("random", 1, trace);
        var b = Run("random", 2, trace);

        Assert.NotEqual(a.PodRequests, b.PodRequests);
    }

    [Fact]
    public void Run_EveryRequestFinishesAndIsMeasured()
    {
        var trace = ReplayTestTraces.SharedPrefix(60, 4);

        var s = Run("least-request", 0, trace);

        Assert.Equal(60, s.Requests);
        Assert.Equal(60, s.PodRequests.Sum());
        Assert.True(s.TtftP50Ms > 0 && s.TtftP50Ms <= s.TtftP90Ms && s.TtftP90Ms <= s.TtftP99Ms);
        Assert.True(s.E2eP50Ms >= s.TtftP50Ms);
        Assert.True(s.ThroughputTokS > 0);
    }

    [Fact]
    public void Run_OracleOnSharedPrefixes_HitsMoreThanRandom()
    {
        var trace = ReplayTestTraces.SharedPrefix(120, 6);

        var oracle = Run("oracle", 0, trace, pods: 4);
        var random = Run("random", 0, trace, pods: 4);

        Assert.True(oracle.PrefixHitRate > random.PrefixHitRate, $"oracle {oracle.PrefixHitRate} vs random {random.PrefixHitRate}");
        Assert.True(oracle.PrefixHitRate > 0.6, $"oracle {oracle.PrefixHitRate}");
    }

    [Fact]
    public void Create_UnknownPolicy_ErrorListsKnownNames()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new VirtualReplay(new ReplayOptions { TracePath = "x.jsonl", Policy = "fastest-please" }, []));

        Assert.Contains("fastest-please", error.Message, StringComparison.Ordinal);
        Assert.Contains("least-request", error.Message, StringComparison.Ordinal);
        Assert.Contains("random", error.Message, StringComparison.Ordinal);
        Assert.Contains("oracle", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("random,least-request,oracle", new[] { "random", "least-request", "oracle" })]
    [InlineData("random,prefix-cache:2,least-request:1,oracle", new[] { "random", "prefix-cache:2,least-request:1", "oracle" })]
    [InlineData("a:1,b:1|c:1,d:2", new[] { "a:1,b:1", "c:1,d:2" })]
    public void SplitPolicies_KeepsWeightedMixesWhole(string text, string[] expected)
    {
        Assert.Equal(expected, CompareCommand.SplitPolicies(text));
    }
}
