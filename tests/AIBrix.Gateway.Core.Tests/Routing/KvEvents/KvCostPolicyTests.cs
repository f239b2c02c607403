using AIBrix.EngineMetrics;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing;
using AIBrix.Gateway.Core.Routing.KvEvents;
using AIBrix.Gateway.Core.Routing.Prefix;
using Microsoft.Extensions.Time.Testing;
using static AIBrix.Gateway.Core.Tests.Routing.RoutingTestKit;

namespace AIBrix.Gateway.Core.Tests.Routing.KvEvents;

public class KvCostPolicyTests
{
    // 1,000 tokens a second, 100 ms per request, a miss weighed at its prefill time: easy numbers to reason about.
    private static readonly RoutingOptions Model = Options() with
    {
        KvCost = new KvCostOptions { PrefillTokensPerSecond = 1000, DecodeSecondsPerRequest = 0.1, OverlapWeight = 1 },
    };

    private static readonly WordBlockHasher Engine = new(blockSize: 2);

    private static (KvCostPolicy Policy, KvBlockIndex Index, FakeTimeProvider Clock) Build(int seed = 1, KvCostOptions? model = null)
    {
        var clock = Clock();
        var options = model is null ? Model : Model with { KvCost = model };
        var index = new KvBlockIndex(options.KvEvents, clock);
        var overlap = new CacheOverlap(index, Engine, new PrefixIndex(options.PrefixCache, clock), new PrefixHasher(options.PrefixCache));
        return (new KvCostPolicy(overlap, options, new SeededRandomSource(seed), clock), index, clock);
    }

    private static double Now(FakeTimeProvider clock) => clock.GetUtcNow().UtcTicks / (double)TimeSpan.TicksPerSecond;

    /// <summary>Two pods whose latest scrape (now) says p0 runs <paramref name="running"/> and queues <paramref name="waiting"/> (other replicas' traffic), p1 nothing.</summary>
    private static Endpoint[] Scraped(FakeTimeProvider clock, int running, int waiting, double kv0 = 0, double kv1 = 0) =>
    [
        Pod("p0", clock, new EngineMetricsSnapshot { Running = running, Waiting = waiting, KvCacheUsage = kv0 }),
        Pod("p1", clock, new EngineMetricsSnapshot { Running = 0, Waiting = 0, KvCacheUsage = kv1 }),
    ];

    private static string Words(int count, string prefix = "w") => string.Join(' ', Enumerable.Range(0, count).Select(i => $"{prefix}{i}"));

    private static void Cache(KvBlockIndex index, string pod, string prompt) => index.ForPod(pod).Stored(Engine.Of(prompt).Hashes);

    [Fact]
    public void Pick_IdlePods_GoesWhereThePromptIsCached()
    {
        var (policy, index, _) = Build();
        var pods = Pods(4);
        string prompt = Words(400);
        foreach (var p in pods)
        {
            index.ForPod(p.Name).MarkLive();
        }

        Cache(index, "p2", prompt);

        Assert.Same(pods[2], policy.Pick(Request(prompt), pods));
    }

    [Fact]
    public void Pick_CachedPodWithMoreDecodeLoadThanThePrefillSaved_GoesElsewhere()
    {
        var (policy, index, _) = Build();
        var pods = Pods(2);
        string prompt = Words(100); // 100 ms of prefill saved by the cache on p0
        index.ForPod("p1").MarkLive();
        Cache(index, "p0", prompt);
        var leases = Enumerable.Range(0, 2).Select(_ => pods[0].Acquire()).ToList(); // 200 ms of decode load on p0

        var target = policy.Pick(Request(prompt), pods);

        Assert.Same(pods[1], target); // 0 + 100 ms beats 200 ms + 0
        leases.ForEach(l => l.Dispose());
    }

    [Fact]
    public void Pick_CachedPodWithLessDecodeLoadThanThePrefillSaved_KeepsTheCache()
    {
        var (policy, index, _) = Build();
        var pods = Pods(2);
        string prompt = Words(300); // 300 ms saved
        index.ForPod("p1").MarkLive();
        Cache(index, "p0", prompt);
        var leases = Enumerable.Range(0, 2).Select(_ => pods[0].Acquire()).ToList(); // 200 ms

        Assert.Same(pods[0], policy.Pick(Request(prompt), pods));
        leases.ForEach(l => l.Dispose());
    }

    [Fact]
    public void Pick_AfterRouting_CountsTheQueuedPrefillUntilItDrains()
    {
        var (policy, index, clock) = Build();
        var pods = Pods(2);
        foreach (var p in pods)
        {
            index.ForPod(p.Name).MarkLive();
        }

        var first = Route(policy, Request(Words(2000, "a")), pods); // 2 s of prefill queued there

        var second = policy.Pick(Request(Words(500, "b")), pods);
        Assert.NotSame(first, second);

        clock.Advance(TimeSpan.FromSeconds(3)); // drained
        var cost = policy.Cost(first, 500, 0, clock.GetUtcNow().UtcTicks / (double)TimeSpan.TicksPerSecond);
        Assert.Equal(0.5, cost, 6);
    }

    [Fact]
    public void Pick_PodsWithoutEvents_UseTheGatewaysEstimate()
    {
        var (policy, _, clock) = Build();
        var pods = Pods(4);
        string prompt = Words(400);
        var first = Route(policy, Request(prompt), pods);
        clock.Advance(TimeSpan.FromSeconds(5)); // its prefill is done

        // No pod publishes: the estimate (what this gateway sent) still finds the prefix.
        for (int i = 0; i < 5; i++)
        {
            Assert.Same(first, policy.Pick(Request(prompt + $" more{i}"), pods));
        }
    }

    [Fact]
    public void Pick_ScrapedLoadOfOtherReplicasOnTheCachedPod_OutweighsTheCache()
    {
        // This gateway sent p0 nothing, but the engine runs 3 and queues 1 (another replica's): 400 ms of load
        // against the 300 ms of prefill its cache saves.
        var (policy, index, clock) = Build();
        var pods = Scraped(clock, running: 3, waiting: 1);
        string prompt = Words(300);
        index.ForPod("p1").MarkLive();
        Cache(index, "p0", prompt);

        Assert.Same(pods[1], policy.Pick(Request(prompt), pods));
        Assert.Equal(0.4, policy.Cost(pods[0], 300, 1.0, Now(clock)), 6);
    }

    [Fact]
    public void Pick_EngineLoadOff_OnlyCountsItsOwnTraffic()
    {
        var (policy, index, clock) = Build(model: Model.KvCost with { UseEngineLoad = false });
        var pods = Scraped(clock, running: 3, waiting: 1);
        string prompt = Words(300);
        index.ForPod("p1").MarkLive();
        Cache(index, "p0", prompt);

        Assert.Same(pods[0], policy.Pick(Request(prompt), pods));
    }

    [Fact]
    public void Pick_StaleScrape_IgnoresItsLoad()
    {
        var (policy, index, clock) = Build();
        var pods = Scraped(clock, running: 3, waiting: 1);
        string prompt = Words(300);
        index.ForPod("p1").MarkLive();
        Cache(index, "p0", prompt);

        clock.Advance(Model.MetricsStaleAfter + TimeSpan.FromSeconds(1)); // the 4 requests may be long gone

        Assert.Same(pods[0], policy.Pick(Request(prompt), pods));
    }

    [Fact]
    public void Cost_RequestsSentSinceTheScrape_CountUntilTheNextScrapeCountsThem()
    {
        var (policy, index, clock) = Build();
        var pods = Scraped(clock, running: 2, waiting: 0);
        foreach (var p in pods)
        {
            index.ForPod(p.Name).MarkLive();
        }

        policy.OnRouted(Request(Words(10, "a")), pods[0]);
        policy.OnRouted(Request(Words(10, "b")), pods[0]);
        clock.Advance(TimeSpan.FromSeconds(1)); // their 20 ms of prefill drained; the scrape is still fresh
        Assert.Equal(0.4, policy.Cost(pods[0], 0, 0, Now(clock)), 6); // 2 scraped + 2 sent since

        // The next scrape sees them (and one more from elsewhere): they are not counted twice.
        pods[0].SetHealth(new EndpointHealth(true, new EngineMetricsSnapshot { Running = 5, Waiting = 0 }, clock.GetUtcNow(), null, 0));
        Assert.Equal(0.5, policy.Cost(pods[0], 0, 0, Now(clock)), 6);
    }

    [Fact]
    public void Pick_EnginesQueuedPrefillTokens_OutweighTheCache()
    {
        // Another replica queued 1,500 uncached tokens on p0 (1.5 s at 1,000 tok/s); this gateway sent it nothing,
        // and only 1 request waits there, so the request count alone (100 ms) would keep the 300-token prompt on p0.
        var (policy, index, clock) = Build(model: Model.KvCost with { UseEnginePrefillQueue = true });
        Endpoint[] pods =
        [
            Pod("p0", clock, new EngineMetricsSnapshot { Running = 0, Waiting = 1, PendingPrefillTokens = 1500 }),
            Pod("p1", clock, new EngineMetricsSnapshot { Running = 0, Waiting = 0, PendingPrefillTokens = 0 }),
        ];
        string prompt = Words(300);
        index.ForPod("p1").MarkLive();
        Cache(index, "p0", prompt);

        Assert.Same(pods[1], policy.Pick(Request(prompt), pods)); // 0.3 s on p1 against 1.5 + 0.1 s on p0
        Assert.Equal(1.6, policy.Cost(pods[0], 300, 1.0, Now(clock)), 4);
    }

    [Fact]
    public void Cost_EnginesQueuedPrefill_DrainsSinceTheScrapeAndAddsWhatThisGatewaySentAfterIt()
    {
        var (policy, index, clock) = Build(model: Model.KvCost with { DecodeSecondsPerRequest = 0, UseEnginePrefillQueue = true });
        Endpoint[] pods =
        [
            Pod("p0", clock, new EngineMetricsSnapshot { Running = 0, Waiting = 0, PendingPrefillTokens = 2000 }),
            Pod("p1", clock, new EngineMetricsSnapshot { Running = 0, Waiting = 0, PendingPrefillTokens = 0 }),
        ];
        foreach (var p in pods)
        {
            index.ForPod(p.Name).MarkLive();
        }

        Assert.Equal(2.0, policy.Cost(pods[0], 0, 0, Now(clock)), 4);
        clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Equal(1.5, policy.Cost(pods[0], 0, 0, Now(clock)), 4); // half a second of it done

        policy.OnRouted(Request(Words(400, "a")), pods[0]); // 0.4 s more, after the scrape
        Assert.Equal(1.9, policy.Cost(pods[0], 0, 0, Now(clock)), 4);

        // The next scrape counts it (2,000 − 500 + 400 = 1,900 tokens): not twice.
        pods[0].SetHealth(new EndpointHealth(true, new EngineMetricsSnapshot { Running = 0, Waiting = 0, PendingPrefillTokens = 1900 }, clock.GetUtcNow(), null, 0));
        Assert.Equal(1.9, policy.Cost(pods[0], 0, 0, Now(clock)), 4);
    }

    [Fact]
    public void Cost_EngineQueueBelowOwnClock_KeepsTheOwnClock()
    {
        // A scrape that says 0 (the engine has not seen this gateway's 2 s of prefill yet): its own clock still counts.
        var (policy, index, clock) = Build(model: Model.KvCost with { DecodeSecondsPerRequest = 0, UseEnginePrefillQueue = true });
        var p0 = Pod("p0", clock, new EngineMetricsSnapshot { Running = 0, Waiting = 0, PendingPrefillTokens = 0 });
        index.ForPod("p0").MarkLive();
        policy.OnRouted(Request(Words(2000, "a")), p0);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        p0.SetHealth(new EndpointHealth(true, new EngineMetricsSnapshot { Running = 0, Waiting = 0, PendingPrefillTokens = 0 }, clock.GetUtcNow(), null, 0));

        Assert.Equal(1.9, policy.Cost(p0, 0, 0, Now(clock)), 4);
    }

    [Fact]
    public void Cost_EnginePrefillQueueByDefault_IgnoresTheGauge()
    {
        var (policy, _, clock) = Build(model: Model.KvCost with { DecodeSecondsPerRequest = 0 });
        var p0 = Pod("p0", clock, new EngineMetricsSnapshot { Running = 0, Waiting = 0, PendingPrefillTokens = 2000 });

        Assert.Equal(0.0, policy.Cost(p0, 0, 0, Now(clock)), 4);
    }

    [Fact]
    public void Pick_SharedPrefillClocks_SeeTheOtherReplicasPrefill()
    {
        // Two replicas of one gateway: replica A queues 2 s of prefill on p0; replica B, sharing A's clocks, sends
        // its next uncached request to p1, and with clocks of its own it would not know (ties broken at random,
        // so its own-clock choice is checked on the cost).
        var clock = Clock();
        var shared = new PrefillClocks();
        KvCostPolicy Replica(PrefillClocks clocks)
        {
            var index = new KvBlockIndex(Model.KvEvents, clock);
            index.ForPod("p0").MarkLive();
            index.ForPod("p1").MarkLive();
            var overlap = new CacheOverlap(index, Engine, new PrefixIndex(Model.PrefixCache, clock), new PrefixHasher(Model.PrefixCache));
            return new KvCostPolicy(overlap, Model, new SeededRandomSource(1), clock, clocks);
        }

        var a = Replica(shared);
        var b = Replica(shared);
        var alone = Replica(new PrefillClocks());
        var pods = Pods(2);
        a.OnRouted(Request(Words(2000, "a")), pods[0]);

        Assert.Same(pods[1], b.Pick(Request(Words(500, "b")), pods));
        Assert.Equal(2.5, b.Cost(pods[0], 500, 0, Now(clock)), 4);
        Assert.Equal(0.5, alone.Cost(pods[0], 500, 0, Now(clock)), 4);
        clock.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(0.5, shared.Remaining("p0", Now(clock)), 4);
    }

    [Fact]
    public void Pick_OverlapWeight_KeepsAPrefixOnItsPodUnderMoreLoad()
    {
        // 100 ms of prefill saved against 200 ms of load: weight 1 leaves (test above), weight 3 stays (300 > 200).
        var (policy, index, _) = Build(model: Model.KvCost with { OverlapWeight = 3 });
        var pods = Pods(2);
        string prompt = Words(100);
        index.ForPod("p1").MarkLive();
        Cache(index, "p0", prompt);
        var leases = Enumerable.Range(0, 2).Select(_ => pods[0].Acquire()).ToList();

        Assert.Same(pods[0], policy.Pick(Request(prompt), pods));
        leases.ForEach(l => l.Dispose());
    }

    [Fact]
    public void Pick_KvUsageSeconds_AvoidsTheFullCache()
    {
        var (policy, index, clock) = Build(model: Model.KvCost with { KvUsageSeconds = 1 });
        var pods = Scraped(clock, running: 0, waiting: 0, kv0: 0.95, kv1: 0.2);
        string prompt = Words(300);
        index.ForPod("p1").MarkLive();
        Cache(index, "p0", prompt); // saves 300 ms; the full cache costs 950 - 200 = 750 ms more

        Assert.Same(pods[1], policy.Pick(Request(prompt), pods));
        Assert.Equal(0.75, policy.Cost(pods[0], 300, 0, Now(clock)) - policy.Cost(pods[1], 300, 0, Now(clock)), 6);
    }

    [Fact]
    public void Options_Invalid_ListsEveryError()
    {
        Assert.Equal(4, new KvCostOptions { PrefillTokensPerSecond = 0, DecodeSecondsPerRequest = -1, OverlapWeight = -1, KvUsageSeconds = double.NaN }.Validate().Count);
    }
}
