using AIBrix.Gateway.Core.Routing;
using static AIBrix.Gateway.Core.Tests.Routing.RoutingTestKit;

namespace AIBrix.Gateway.Core.Tests.Routing;

public class SessionAffinityPolicyTests
{
    private readonly SessionAffinityPolicy _policy = new(new SeededRandomSource(1));

    [Fact]
    public void Pick_SessionIdOfReadyPod_Honoured()
    {
        var pods = Pods(4);
        var request = Request(headers: new() { ["x-session-id"] = SessionAffinityPolicy.Encode(pods[2].Address) });

        Assert.Same(pods[2], _policy.Pick(request, pods));
        Assert.Null(request.Fallback);
    }

    [Fact]
    public void OnRouted_ReturnsTheSessionIdOfTheTarget()
    {
        var pods = Pods(3);
        var request = Request(user: "alice");

        var target = Route(_policy, request, pods);

        var header = Assert.Single(request.ResponseHeaders);
        Assert.Equal(("x-session-id", SessionAffinityPolicy.Encode(target.Address)), (header.Key, header.Value));
    }

    [Fact]
    public void Pick_SessionPodGone_RendezvousOnKeyAndSaysSo()
    {
        var pods = Pods(4);
        var request = Request(headers: new() { ["x-session-id"] = SessionAffinityPolicy.Encode("10.9.9.9:8000"), ["x-aibrix-session-key"] = "conv-7" });

        var picked = _policy.Pick(request, pods);

        Assert.Equal(SessionAffinityPolicy.PodUnavailable, request.Fallback);
        Assert.Same(pods[SessionAffinityPolicy.Rendezvous("conv-7", pods)], picked);
    }

    [Fact]
    public void Pick_SessionKey_StableAndOnlyMovedWhenItsPodLeaves()
    {
        var pods = Pods(5);
        var keys = Enumerable.Range(0, 200).Select(i => $"session-{i}").ToArray();
        var before = keys.ToDictionary(k => k, k => _policy.Pick(Request(headers: new() { ["x-aibrix-session-key"] = k }), pods));
        var fewer = pods.Where(p => p != pods[3]).ToArray();

        var after = keys.ToDictionary(k => k, k => _policy.Pick(Request(headers: new() { ["x-aibrix-session-key"] = k }), fewer));

        Assert.All(keys.Where(k => before[k] != pods[3]), k => Assert.Same(before[k], after[k]));
        Assert.Equal(5, before.Values.Distinct().Count());
    }

    [Fact]
    public void Pick_MalformedSessionId_FallsBackToUser()
    {
        var pods = Pods(3);
        var request = Request(user: "bob", headers: new() { ["x-session-id"] = "%%%not-base64" });

        Assert.Same(pods[SessionAffinityPolicy.Rendezvous("bob", pods)], _policy.Pick(request, pods));
    }
}
