using AIBrix.Bench.Replay;
using AIBrix.EngineSim;
using AIBrix.Gateway.Core.Routing;
using AIBrix.Gateway.KvEvents;

namespace AIBrix.Bench.Tests.Replay;

public sealed class KvEventRoutingTests
{
    private static VirtualReplay Replay(string policy, IReadOnlyList<TraceRequest> trace, int pods = 4, int gateways = 1, int seed = 0, int? blocks = null,
        bool shareClocks = false, bool engineQueue = false) =>
        new(new ReplayOptions
        {
            TracePath = "test.jsonl", Pods = pods, Policy = policy, Seed = seed, Gateways = gateways,
            NumGpuBlocks = blocks ?? new ReplayOptions { TracePath = "x" }.NumGpuBlocks,
            SharePrefillClocks = shareClocks, EnginePrefillQueue = engineQueue,
        }, trace);

    [Fact]
    public void Run_SharedPrefillClocksWithOneGateway_SameAsItsOwnClocks()
    {
        // One replica sharing its clocks with nobody decides exactly as before: the option changes only replicas.
        var trace = ReplayTestTraces.SharedPrefix(120, 6);

        string own = Replay("kv-cost", trace, pods: 3, blocks: 600).Run().Summarise().ToJson();
        string shared = Replay("kv-cost", trace, pods: 3, blocks: 600, shareClocks: true).Run().Summarise().ToJson();

        Assert.Equal(own, shared);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Run_FourGatewaysSharingClocksOrReadingTheEngineQueue_Deterministic(bool shareClocks, bool engineQueue)
    {
        var trace = ReplayTestTraces.SharedPrefix(120, 6);

        var first = Replay("kv-cost", trace, pods: 3, gateways: 4, blocks: 600, shareClocks: shareClocks, engineQueue: engineQueue).Run().Summarise();
        var second = Replay("kv-cost", trace, pods: 3, gateways: 4, blocks: 600, shareClocks: shareClocks, engineQueue: engineQueue).Run().Summarise();

        Assert.Equal(first.ToJson(), second.ToJson());
        Assert.Equal(120, first.Requests);
        Assert.Equal(0, first.Errors);
    }

    [Fact]
    public void SimEngineBlockHasher_ReplayedPrompt_SameHashesAsTheEngine()
    {
        foreach (var request in ReplayTestTraces.SharedPrefix(10, 2))
        {
            var (hashes, tokens) = new SimEngineBlockHasher().Hash(new RoutingRequest { PromptText = SyntheticPrompt.Text(request) });

            int[] engineTokens = SyntheticPrompt.Tokens(request);
            Assert.Equal(engineTokens.Length, tokens);
            Assert.Equal(PrefixHasher.BlockHashes(engineTokens, 16, PrefixHasher.ChainSeed(null)), hashes);
        }
    }

    [Theory]
    [InlineData("prefix-cache-events")]
    [InlineData("kv-cost")]
    public void Run_EventPolicyBehindFourGateways_EveryReplicaKnowsEveryEnginesCache(string policy)
    {
        var replay = Replay(policy, ReplayTestTraces.SharedPrefix(80, 4), pods: 3, gateways: 4, blocks: 600);

        replay.Run();

        var truth = replay.CachedBlocks();
        Assert.Contains(truth, t => t.Count > 0);
        for (int g = 0; g < 4; g++)
        {
            var index = replay.GatewayKvBlocks(g);
            for (int p = 0; p < 3; p++)
            {
                var blocks = index.ForPod(replay.PodNames[p]);
                Assert.Equal(truth[p].Count > 0, blocks.IsFresh); // a pod that never cached anything never published
                Assert.Equal(truth[p].Count, blocks.Count);
                Assert.All(truth[p], h => Assert.True(blocks.Contains(h)));
            }
        }
    }

    [Fact]
    public void Run_FourGateways_EventsKeepTheHitRateTheEstimateLoses()
    {
        // 8 groups on 4 small pods: evictions the estimate cannot see, and four replicas each guessing alone.
        var trace = ReplayTestTraces.SharedPrefix(200, 8);

        var estimate = Replay("prefix-cache", trace, gateways: 4, blocks: 400).Run().Summarise();
        var events = Replay("prefix-cache-events", trace, gateways: 4, blocks: 400).Run().Summarise();

        Assert.True(events.PrefixHitRate >= estimate.PrefixHitRate, $"events {events.PrefixHitRate} vs estimate {estimate.PrefixHitRate}");
    }

    [Theory]
    [InlineData("kv-cost")]
    [InlineData("oracle-ttft")]
    public void Run_SameSeed_SameJson(string policy)
    {
        var trace = ReplayTestTraces.SharedPrefix(80, 4);

        Assert.Equal(Replay(policy, trace, gateways: 2).Run().Summarise().ToJson(), Replay(policy, trace, gateways: 2).Run().Summarise().ToJson());
    }

    [Fact]
    public void Run_OracleTtftOnSharedPrefixes_HitsMoreThanRandom()
    {
        var trace = ReplayTestTraces.SharedPrefix(120, 6);

        var oracle = Replay("oracle-ttft", trace).Run().Summarise();
        var random = Replay("random", trace).Run().Summarise();

        Assert.True(oracle.PrefixHitRate > random.PrefixHitRate, $"oracle-ttft {oracle.PrefixHitRate} vs random {random.PrefixHitRate}");
    }
}

/// <summary>
/// The replay's request path keys requests the way its virtual engines cache them, so the event strategies decide
/// from the engines' events: a prefix only the events know of (the gateway never sent it) draws every request.
/// (A chat body here once got no engine hashes and the replays silently ran on the estimate.)
/// </summary>
public sealed class ReplayRouterKvEventTests
{
    [Theory]
    [InlineData("prefix-cache-events")]
    [InlineData("kv-cost")]
    public void Route_PrefixOnlyTheEventsKnow_RoutedToThePodHoldingIt(string policy)
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
        var registry = new AIBrix.Gateway.Core.Endpoints.EndpointRegistry();
        string[] pods = ["pod-0", "pod-1", "pod-2", "pod-3"];
        registry.Apply([.. pods.Select((p, i) => new AIBrix.Gateway.Core.Endpoints.EndpointSpec(
            p, $"10.0.0.{i + 1}:8000", "m", AIBrix.EngineMetrics.EngineKind.Vllm, null, new Dictionary<string, string>(), []))]);
        foreach (var p in pods)
        {
            registry.OnScraped(p, new AIBrix.EngineMetrics.EngineMetricsSnapshot { Running = 0, Waiting = 0 }, clock.GetUtcNow());
        }

        var index = new AIBrix.Gateway.Core.Routing.KvEvents.KvBlockIndex(new AIBrix.Gateway.Core.Routing.KvEvents.KvBlockIndexOptions(), clock);
        string system = string.Join(" ", Enumerable.Range(0, 200).Select(i => $"word{i}"));
        foreach (var p in pods)
        {
            index.ForPod(p).MarkLive();
        }

        index.ForPod("pod-2").Stored(PrefixHasher.BlockHashes(SimTokenizer.Encode(system), 16, PrefixHasher.ChainSeed(null)));
        var router = ReplayRouter.Create(policy, registry, new SeededRandomSource(1), clock, "m", null, index, new SimEngineBlockHasher());

        for (int i = 0; i < 6; i++)
        {
            var (context, target) = router.Route($"{system} question {i}", 8);
            Assert.Equal("pod-2", target.Name);
            router.Finish(context);
        }
    }
}
