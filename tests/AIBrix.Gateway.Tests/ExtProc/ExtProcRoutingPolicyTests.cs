using AIBrix.Gateway.Tests.Infrastructure;

namespace AIBrix.Gateway.Tests.ExtProc;

/// <summary>Routing strategies through real gRPC ext_proc, in front of simulated vLLM engines.</summary>
public class ExtProcRoutingPolicyTests(SimFleetFixture fleet) : IClassFixture<SimFleetFixture>
{
    private static readonly string SharedPrefix = string.Concat(Enumerable.Repeat("You are a careful assistant for the routing team. ", 12));

    private async Task<EnvoyExchange> SendAsync(string content, string strategy, params KeyValuePair<string, string>[] extra)
    {
        using var envoy = fleet.Gateway.Envoy();
        return await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat(content), headers: [new("routing-strategy", strategy), .. extra]);
    }

    [Fact]
    public async Task Process_PrefixCache_SamePromptKeepsItsPod()
    {
        var first = await SendAsync(SharedPrefix + "Which pod am I on?", "prefix-cache");

        var next = new List<string?>();
        for (int i = 0; i < 4; i++)
        {
            next.Add((await SendAsync(SharedPrefix + "Which pod am I on?", "prefix-cache")).TargetPod);
        }

        Assert.Equal(200, first.UpstreamStatus);
        Assert.Contains(first.TargetPod, fleet.Addresses);
        Assert.All(next, pod => Assert.Equal(first.TargetPod, pod));
        Assert.Equal("prefix-cache", first.ResponseHeaderMutations["routing-strategy"]);
    }

    [Fact]
    public async Task Process_WeightedStrategyHeader_RoutedAndEchoedInCanonicalForm()
    {
        var first = await SendAsync(SharedPrefix + "weighted", "prefix-cache:2, least-request:1");
        var second = await SendAsync(SharedPrefix + "weighted", "prefix-cache:2,least-request:1");

        Assert.Equal(200, first.UpstreamStatus);
        Assert.Equal("prefix-cache:2,least-request:1", first.RequestHeaderMutations["routing-strategy"]);
        Assert.Equal("prefix-cache:2,least-request:1", first.ResponseHeaderMutations["routing-strategy"]);
        Assert.Equal(first.TargetPod, second.TargetPod);
    }

    [Fact]
    public async Task Process_MalformedWeightedStrategy_Immediate400()
    {
        var exchange = await SendAsync("hi", "prefix-cache:2,least-request:lots");

        Assert.NotNull(exchange.Immediate);
        Assert.Equal(400, (int)exchange.Immediate!.Status.Code);
        Assert.Contains("least-request:lots", exchange.ImmediateBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_ExternalFilter_OnlyMatchingPod()
    {
        // GatewayTestHost labels pod-i with index: i+1.
        var targets = new HashSet<string?>();
        for (int i = 0; i < 6; i++)
        {
            targets.Add((await SendAsync($"filtered {i}", "random", new KeyValuePair<string, string>("external-filter", "index=2"))).TargetPod);
        }

        Assert.Equal([fleet.Addresses[1]], targets);
    }

    [Fact]
    public async Task Process_SessionAffinity_SessionIdReturnedAndHonoured()
    {
        var first = await SendAsync("session turn 1", "session-affinity");
        string sessionId = first.ResponseHeaderMutations["x-session-id"];

        var second = await SendAsync("session turn 2", "session-affinity", new KeyValuePair<string, string>("x-session-id", sessionId));

        Assert.Equal(first.TargetPod, second.TargetPod);
        Assert.Equal(sessionId, second.ResponseHeaderMutations["x-session-id"]);
    }
}
