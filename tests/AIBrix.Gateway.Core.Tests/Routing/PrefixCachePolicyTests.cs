using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing;
using AIBrix.Gateway.Core.Routing.Prefix;
using static AIBrix.Gateway.Core.Tests.Routing.RoutingTestKit;
using Microsoft.Extensions.Time.Testing;

namespace AIBrix.Gateway.Core.Tests.Routing;

public class PrefixCachePolicyTests
{
    private const string System = "You are a helpful assistant that answers questions about routing. ";

    private static PrefixCachePolicy Policy(RoutingOptions? options = null, int seed = 1)
    {
        options ??= Options();
        return new PrefixCachePolicy(new PrefixIndex(options.PrefixCache, RoutingTestKit.Clock()), new PrefixHasher(options.PrefixCache), options, new SeededRandomSource(seed));
    }

    [Fact]
    public void Pick_SamePromptRepeated_KeepsItsPod()
    {
        var pods = Pods(8);
        var policy = Policy();
        var first = Route(policy, Request(System + "question 1"), pods);

        for (int i = 0; i < 20; i++)
        {
            Assert.Same(first, Route(policy, Request(System + "question 1"), pods));
        }
    }

    [Fact]
    public void Pick_SharedSystemPrompt_FollowsTheLongestMatch()
    {
        var pods = Pods(4);
        var policy = Policy();
        var a = Route(policy, Request(System + "first conversation, turn one"), pods);
        using var hold = a.Acquire(); // loaded, but well within the guard

        var next = Route(policy, Request(System + "first conversation, turn one, and turn two"), pods);

        Assert.Same(a, next);
    }

    [Fact]
    public void Pick_NoMatch_LeastRequest()
    {
        var pods = Pods(3);
        var leases = new[] { pods[0].Acquire(), pods[2].Acquire() };
        var policy = Policy();
        var request = Request("never seen before");

        Assert.Same(pods[1], policy.Pick(request, pods));
        Assert.Null(request.Fallback);
        Array.ForEach(leases, l => l.Dispose());
    }

    [Fact]
    public void Pick_HotPodBeyondAbsoluteImbalance_LosesItsCacheAdvantage()
    {
        var pods = Pods(3);
        var policy = Policy(Options() with { LoadGuard = new LoadGuardOptions { AbsoluteImbalance = 4, StddevFactor = 100 } });
        var hot = Route(policy, Request(System), pods);
        var leases = new List<InFlightLease>();
        for (int i = 0; i < 4; i++)
        {
            leases.Add(hot.Acquire());
        }

        Assert.Same(hot, policy.Pick(Request(System), pods)); // 4 above the others: still allowed
        leases.Add(hot.Acquire());
        var request = Request(System);

        var picked = policy.Pick(request, pods); // 5 above: guarded

        Assert.NotSame(hot, picked);
        Assert.Equal(PrefixCachePolicy.GuardFallback, request.Fallback);
        leases.ForEach(l => l.Dispose());
    }

    [Fact]
    public void Pick_HotPodAboveMeanPlusTwoSigma_Guarded()
    {
        var pods = Pods(10);
        var policy = Policy(Options() with { LoadGuard = new LoadGuardOptions { AbsoluteImbalance = 1000, StddevFactor = 2 } });
        var hot = Route(policy, Request(System), pods);
        var leases = Enumerable.Range(0, 10).Select(_ => hot.Acquire()).ToList(); // [10,0,...]: mean 1, σ 3, ceiling 7

        Assert.NotSame(hot, policy.Pick(Request(System), pods));
        leases.ForEach(l => l.Dispose());
    }

    [Fact]
    public void Pick_GuardIsPerCandidate_OtherCachedPodStillWins()
    {
        var pods = Pods(4);
        var policy = Policy(Options() with { LoadGuard = new LoadGuardOptions { AbsoluteImbalance = 2 } });
        var request = Request(System + "shared");
        policy.OnRouted(request, pods[0]);
        policy.OnRouted(request, pods[3]);
        var leases = Enumerable.Range(0, 3).Select(_ => pods[0].Acquire()).ToList(); // p0 hot; p1, p2, p3 idle

        var picked = policy.Pick(Request(System + "shared"), pods);

        Assert.Same(pods[3], picked); // the hot holder is skipped, the cool holder keeps the affinity
        leases.ForEach(l => l.Dispose());
    }

    [Fact]
    public void Score_MatchedShareForAllowedPods()
    {
        var pods = Pods(2);
        var policy = Policy(Options(blockSize: 4));
        policy.OnRouted(Request("aaaabbbb"), pods[0]);
        var scores = new double[2];

        policy.Score(Request("aaaabbbbccccdddd"), pods, scores);

        Assert.Equal([0.5, 0.0], scores);
    }
}
