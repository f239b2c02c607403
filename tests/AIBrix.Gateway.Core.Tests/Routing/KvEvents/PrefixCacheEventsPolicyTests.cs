using AIBrix.Gateway.Core.Routing;
using AIBrix.Gateway.Core.Routing.KvEvents;
using AIBrix.Gateway.Core.Routing.Prefix;
using static AIBrix.Gateway.Core.Tests.Routing.RoutingTestKit;

namespace AIBrix.Gateway.Core.Tests.Routing.KvEvents;

public class PrefixCacheEventsPolicyTests
{
    private static readonly RoutingOptions Opts = Options();
    private static readonly WordBlockHasher Engine = new(blockSize: 2);

    private static (PrefixCacheEventsPolicy Policy, KvBlockIndex Index) Build()
    {
        var clock = Clock();
        var index = new KvBlockIndex(Opts.KvEvents, clock);
        var overlap = new CacheOverlap(index, Engine, new PrefixIndex(Opts.PrefixCache, clock), new PrefixHasher(Opts.PrefixCache));
        return (new PrefixCacheEventsPolicy(overlap, Opts, new SeededRandomSource(3)), index);
    }

    [Fact]
    public void Pick_EventsSayAnotherPodHoldsMore_FollowsTheEvents()
    {
        var (policy, index) = Build();
        var pods = Pods(3);
        foreach (var p in pods)
        {
            index.ForPod(p.Name).MarkLive();
        }

        index.ForPod("p1").Stored(Engine.Of("a b c d").Hashes);
        index.ForPod("p2").Stored(Engine.Of("a b c d e f").Hashes);

        Assert.Same(pods[2], policy.Pick(Request("a b c d e f g h"), pods));
    }

    [Fact]
    public void Pick_EngineEvictedTheBlocks_NoLongerFollowsThem()
    {
        var (policy, index) = Build();
        var pods = Pods(2);
        index.ForPod("p1").MarkLive();
        var hashes = Engine.Of("a b c d").Hashes;
        var first = Route(policy, Request("a b c d"), pods); // the estimate now says `first` holds it
        var events = index.ForPod(first.Name);
        events.Stored(hashes);
        events.Removed(hashes); // ...but the engine evicted it, and says so

        using var hold = first.Acquire();
        Assert.NotSame(first, policy.Pick(Request("a b c d"), pods));
    }

    [Fact]
    public void Pick_NoEventsAnywhere_BehavesLikePrefixCache()
    {
        var (policy, _) = Build();
        var pods = Pods(8);
        var first = Route(policy, Request("You are a helpful assistant. question one"), pods);

        for (int i = 0; i < 10; i++)
        {
            Assert.Same(first, Route(policy, Request("You are a helpful assistant. question one"), pods));
        }
    }
}
