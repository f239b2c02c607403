using AIBrix.Gateway.Core.Routing;
using static AIBrix.Gateway.Core.Tests.Routing.RoutingTestKit;
using Microsoft.Extensions.Time.Testing;

namespace AIBrix.Gateway.Core.Tests.Routing;

public class VtcBasicPolicyTests
{
    private readonly FakeTimeProvider _time = RoutingTestKit.Clock();

    [Fact]
    public void OnRouted_CountsInputOnceAndOutputTwice()
    {
        var policy = new VtcBasicPolicy(new SeededRandomSource(1), RoutingOptions.Default, _time);
        var pods = Pods(2);

        Route(policy, Request(new string('x', 400), user: "u", maxTokens: 10), pods); // 100 prompt tokens

        Assert.Equal(100 + 20, policy.TokensOf("u"));
    }

    [Fact]
    public void Pick_HeaviestUserAtOneEnd_LightUserAtTheOther()
    {
        var policy = new VtcBasicPolicy(new SeededRandomSource(1), RoutingOptions.Default, _time);
        var pods = Pods(5);
        Route(policy, Request(new string('x', 4000), user: "heavy", maxTokens: 100), pods);

        Assert.Same(pods[4], policy.Pick(Request(user: "heavy"), pods));
        Assert.Same(pods[0], policy.Pick(Request(user: "new-user"), pods));
    }

    [Fact]
    public void Pick_TargetPodOverloaded_UtilizationMovesTheUser()
    {
        var policy = new VtcBasicPolicy(new SeededRandomSource(1), RoutingOptions.Default, _time);
        var pods = Pods(3);
        var leases = Enumerable.Range(0, 100).Select(_ => pods[0].Acquire()).ToList();

        Assert.Same(pods[1], policy.Pick(Request(user: "new-user"), pods)); // 0.5·0.5 + 0.5·1 beats 0.5·1 + 0
        leases.ForEach(l => l.Dispose());
    }

    [Fact]
    public void Pick_AfterTheWindow_CountsStartOver()
    {
        var policy = new VtcBasicPolicy(new SeededRandomSource(1), RoutingOptions.Default, _time);
        var pods = Pods(3);
        Route(policy, Request("abcd", user: "u"), pods);

        _time.Advance(VtcBasicPolicy.Window);
        policy.Pick(Request(user: "u"), pods);

        Assert.Equal(0, policy.TokensOf("u"));
    }

    [Fact]
    public void Pick_NoUser_LeastRequest()
    {
        var policy = new VtcBasicPolicy(new SeededRandomSource(1), RoutingOptions.Default, _time);
        var pods = Pods(2);
        using var lease = pods[0].Acquire();

        Assert.Same(pods[1], policy.Pick(Request(), pods));
    }
}
