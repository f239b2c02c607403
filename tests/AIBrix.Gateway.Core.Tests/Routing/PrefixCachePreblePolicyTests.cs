using AIBrix.Gateway.Core.Routing;
using AIBrix.Gateway.Core.Routing.Prefix;
using static AIBrix.Gateway.Core.Tests.Routing.RoutingTestKit;
using Microsoft.Extensions.Time.Testing;

namespace AIBrix.Gateway.Core.Tests.Routing;

public class PrefixCachePreblePolicyTests
{
    private static PrefixCachePreblePolicy Policy(RoutingOptions options) =>
        new(new PrefixIndex(options.PrefixCache, RoutingTestKit.Clock()), new PrefixHasher(options.PrefixCache), options, new SeededRandomSource(1));

    [Fact]
    public void Pick_HalfOrMoreCached_ExploitsTheHolder()
    {
        var pods = Pods(3);
        var policy = Policy(Options(blockSize: 4));
        policy.OnRouted(Request("aaaabbbb"), pods[2]);
        using var lease = pods[2].Acquire(2000); // heavier in tokens, yet the cache wins
        var request = Request("aaaabbbbcccc"); // 2 of 3 blocks held

        Assert.Same(pods[2], policy.Pick(request, pods));
        Assert.Equal("exploit", request.Reason);
    }

    [Fact]
    public void Pick_LittleCached_ExploresByLeastCost()
    {
        var pods = Pods(3);
        var policy = Policy(Options(blockSize: 4));
        policy.OnRouted(Request("aaaa"), pods[0]);
        using var l0 = pods[0].Acquire(1000);
        using var l1 = pods[1].Acquire(10);
        using var l2 = pods[2].Acquire(50);
        var request = Request("aaaabbbbccccdddd"); // 1 of 4 held by p0: explore

        var picked = policy.Pick(request, pods);

        Assert.Same(pods[1], picked); // cost = tokens in flight + uncached prefill: 10 + 16 is least
        Assert.Equal("explore", request.Reason);
    }
}
