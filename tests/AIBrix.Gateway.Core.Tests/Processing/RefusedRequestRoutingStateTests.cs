using System.Text;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Errors;
using AIBrix.Gateway.Core.Limits;
using AIBrix.Gateway.Core.Processing;
using AIBrix.Gateway.Core.Routing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static AIBrix.Gateway.Core.Tests.TestEndpoints;

namespace AIBrix.Gateway.Core.Tests.Processing;

/// <summary>A request a limit refuses leaves no trace in routing state: the policy learns of a pick only once admitted.</summary>
public class RefusedRequestRoutingStateTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemoryUserStore _users = new();

    private static byte[] Chat(string prompt) =>
        Encoding.UTF8.GetBytes($$"""{"model":"llama","messages":[{"role":"user","content":"{{prompt}}"}],"max_tokens":8}""");

    private async Task<(GatewayPipeline Pipeline, RequestLimiter Limiter)> PipelineAsync(RoutingPolicyRegistry policies, EndpointRegistry registry)
    {
        await _users.CreateUserAsync(new UserRecord("alice", Rpm: 1, Tpm: 1_000_000));
        var limiter = new RequestLimiter(_users, new InMemoryLimitStore(_users, _time), AuthSettings.Default, LimitSettings.Default, _time, NullLogger.Instance);
        return (new GatewayPipeline(registry, policies, time: _time, limiter: limiter), limiter);
    }

    private static async Task<RouteDecision> RouteAsync(GatewayPipeline pipeline, string prompt)
    {
        var context = pipeline.Begin();
        context.Headers[":path"] = "/v1/chat/completions";
        context.Headers[":method"] = "POST";
        context.Headers["user"] = "alice";
        Assert.Null(await pipeline.OnRequestHeadersAsync(context));
        return await pipeline.RouteAsync(context, Chat(prompt));
    }

    [Fact]
    public async Task RouteAsync_RefusedByLimit_PolicyNeverLearnsOfThePick()
    {
        var policy = new RecordingPolicy();
        var registry = ReadyRegistry(Spec("a", "10.0.0.1:8000"));
        var (pipeline, limiter) = await PipelineAsync(new RoutingPolicyRegistry([policy], "recording"), registry);
        using var _ = limiter;

        var admitted = await RouteAsync(pipeline, "first");
        var refused = await RouteAsync(pipeline, "second");

        Assert.Null(admitted.Error);
        Assert.Equal(GatewayErrorKind.RequestRateLimited, refused.Error!.Kind);
        Assert.Equal(["first"], policy.Routed);
        Assert.Equal(1, registry.Current.ByName["a"].InFlight);   // only the admitted request holds a slot
    }

    [Fact]
    public async Task RouteAsync_RefusedByLimit_VtcCountersUnchanged()
    {
        var policies = RoutingPolicyRegistry.CreateDefault("vtc-basic", new SeededRandomSource(1));
        var (pipeline, limiter) = await PipelineAsync(policies, ReadyRegistry(Spec("a", "10.0.0.1:8000"), Spec("b", "10.0.0.2:8000")));
        using var _ = limiter;
        Assert.True(policies.TryGet("vtc-basic", out var vtc));

        Assert.Null((await RouteAsync(pipeline, "first")).Error);
        double afterAdmitted = ((VtcBasicPolicy)vtc).TokensOf("alice");
        Assert.NotNull((await RouteAsync(pipeline, "second")).Error);

        Assert.True(afterAdmitted > 0);
        Assert.Equal(afterAdmitted, ((VtcBasicPolicy)vtc).TokensOf("alice"));
    }

    [Fact]
    public async Task RouteAsync_RefusedByLimit_PrefixIndexUnchanged()
    {
        var policies = RoutingPolicyRegistry.CreateDefault("prefix-cache", new SeededRandomSource(1));
        var (pipeline, limiter) = await PipelineAsync(policies, ReadyRegistry(Spec("a", "10.0.0.1:8000"), Spec("b", "10.0.0.2:8000")));
        using var _ = limiter;
        string longPrompt = string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog ", 40));

        Assert.Null((await RouteAsync(pipeline, "first " + longPrompt)).Error);
        int afterAdmitted = policies.PrefixIndex!.Count;
        Assert.NotNull((await RouteAsync(pipeline, "second " + longPrompt)).Error);

        Assert.True(afterAdmitted > 0);
        Assert.Equal(afterAdmitted, policies.PrefixIndex.Count);
    }

    private sealed class RecordingPolicy : IRoutingPolicy, IRoutingFeedback
    {
        public List<string> Routed { get; } = [];

        public string Name => "recording";

        public Endpoint Pick(RoutingRequest request, ReadOnlySpan<Endpoint> candidates) => candidates[0];

        public void OnRouted(RoutingRequest request, Endpoint target) => Routed.Add(request.PromptText);
    }
}
