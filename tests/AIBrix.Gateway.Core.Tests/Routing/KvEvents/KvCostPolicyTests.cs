using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing;
using AIBrix.Gateway.Core.Routing.KvEvents;
using AIBrix.Gateway.Core.Routing.Prefix;
using Microsoft.Extensions.Time.Testing;
using static AIBrix.Gateway.Core.Tests.Routing.RoutingTestKit;

namespace AIBrix.Gateway.Core.Tests.Routing.KvEvents;

public class KvCostPolicyTests
{
    // 1,000 tokens a second and 100 ms per request in flight: easy numbers to reason about.
    private static readonly RoutingOptions Model = Options() with
    {
        KvCost = new KvCostOptions { PrefillTokensPerSecond = 1000, DecodeSecondsPerRequest = 0.1 },
    };

    private static readonly WordBlockHasher Engine = new(blockSize: 2);

    private static (KvCostPolicy Policy, KvBlockIndex Index, FakeTimeProvider Clock) Build(int seed = 1)
    {
        var clock = Clock();
        var index = new KvBlockIndex(Model.KvEvents, clock);
        var overlap = new CacheOverlap(index, Engine, new PrefixIndex(Model.PrefixCache, clock), new PrefixHasher(Model.PrefixCache));
        return (new KvCostPolicy(overlap, Model, new SeededRandomSource(seed), clock), index, clock);
    }

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
    public void Options_Invalid_ListsEveryError()
    {
        Assert.Equal(2, new KvCostOptions { PrefillTokensPerSecond = 0, DecodeSecondsPerRequest = -1 }.Validate().Count);
    }
}
