using System.Text;
using AIBrix.Gateway.Core.Errors;
using AIBrix.Gateway.Core.Processing;
using AIBrix.Gateway.Core.Routing;
using static AIBrix.Gateway.Core.Tests.TestEndpoints;

namespace AIBrix.Gateway.Core.Tests.Processing;

/// <summary>The two request seams every host calls: headers, then the body to a routing decision.</summary>
public class RouteDecisionTests
{
    private static readonly byte[] Chat = Encoding.UTF8.GetBytes("""{"model":"llama","messages":[{"role":"user","content":"hello"}]}""");

    private static (GatewayPipeline Pipeline, RequestContext Context) Begin(string? defaultStrategy, string path = "/v1/chat/completions")
    {
        var pipeline = new GatewayPipeline(ReadyRegistry(Spec("a", "10.0.0.1:8000")), RoutingPolicyRegistry.CreateDefault(defaultStrategy));
        var context = pipeline.Begin();
        context.Headers[":path"] = path;
        context.Headers[":method"] = "POST";
        return (pipeline, context);
    }

    [Fact]
    public async Task RouteAsync_WithStrategy_SetsTargetDestinationAndStrategyHeaders()
    {
        var (pipeline, context) = Begin("least-request");
        using var _ = context;
        Assert.Null(await pipeline.OnRequestHeadersAsync(context));

        var decision = await pipeline.RouteAsync(context, Chat);

        Assert.Null(decision.Error);
        Assert.Equal("a", decision.Target!.Name);
        KeyValuePair<string, string>[] expected = [new("target-pod", "10.0.0.1:8000"), new("x-gateway-destination-endpoint", "10.0.0.1:8000"), new("routing-strategy", "least-request")];
        Assert.Equal(expected, decision.SetHeaders);
        Assert.Empty(decision.RemoveHeaders);
        Assert.Null(decision.Body); // no limiter: the body goes upstream unchanged
    }

    [Fact]
    public async Task RouteAsync_NoStrategy_OnlyTheModelHeaderForTheRoute()
    {
        var (pipeline, context) = Begin(null);
        using var _ = context;
        await pipeline.OnRequestHeadersAsync(context);

        var decision = await pipeline.RouteAsync(context, Chat);

        Assert.Null(decision.Target);
        Assert.Equal([new KeyValuePair<string, string>("model", "llama")], decision.SetHeaders);
    }

    [Fact]
    public async Task RouteAsync_UnknownModel_DecisionIsTheError()
    {
        var (pipeline, context) = Begin("random");
        using var _ = context;
        await pipeline.OnRequestHeadersAsync(context);

        var decision = await pipeline.RouteAsync(context, Encoding.UTF8.GetBytes("""{"model":"gpt-9","messages":[{"role":"user","content":"x"}]}"""));

        Assert.Equal(GatewayErrorKind.UnknownModel, decision.Error!.Kind);
        Assert.Null(decision.Target);
        Assert.Same(decision.Error, context.Error);
    }

    [Fact]
    public async Task OnRequestHeadersAsync_UnsupportedPath_ErrorBeforeAnyBody()
    {
        var (pipeline, context) = Begin("random", "/v1/images/generations");
        using var _ = context;

        var error = await pipeline.OnRequestHeadersAsync(context);

        Assert.Equal(GatewayErrorKind.UnsupportedPath, error!.Kind);
    }
}
