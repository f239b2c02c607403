using System.Text;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Errors;
using AIBrix.Gateway.Core.OpenAI;
using AIBrix.Gateway.Core.Processing;
using AIBrix.Gateway.Core.Routing;
using static AIBrix.Gateway.Core.Tests.TestEndpoints;

namespace AIBrix.Gateway.Core.Tests.Processing;

public class GatewayPipelineTests
{
    private readonly RecordingObserver _observer = new();

    private static byte[] Chat(string model = "llama") =>
        Encoding.UTF8.GetBytes($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hello"}],"max_tokens":5}""");

    private GatewayPipeline Pipeline(EndpointRegistry registry, string? defaultStrategy = "least-request", int maxBody = 1 << 20) =>
        new(registry, RoutingPolicyRegistry.CreateDefault(defaultStrategy, new SeededRandomSource(1)), _observer, new GatewayPipelineOptions { MaxRequestBodyBytes = maxBody });

    private static RequestContext Begin(GatewayPipeline pipeline, string path = "/v1/chat/completions", string? strategy = null)
    {
        var context = pipeline.Begin();
        context.Headers[":path"] = path;
        context.Headers[":method"] = "POST";
        context.Headers["x-request-id"] = "r-1";
        if (strategy is not null)
        {
            context.Headers["routing-strategy"] = strategy;
        }

        return context;
    }

    [Fact]
    public void OnRequestBody_ReadyModel_RoutesAndHoldsOneSlotUntilComplete()
    {
        var registry = ReadyRegistry(Spec("a", "10.0.0.1:8000"), Spec("b", "10.0.0.2:8000"));
        var pipeline = Pipeline(registry);
        using var context = Begin(pipeline);
        Assert.Null(pipeline.OnRequestHeaders(context));

        var route = pipeline.OnRequestBody(context, Chat());

        Assert.Null(route.Error);
        Assert.Equal(1, route.Target!.InFlight);
        Assert.Equal("hello", context.Routing.PromptText);
        Assert.Equal("r-1", context.RequestId);
        var headers = pipeline.OnResponseHeaders(context, 200, "application/json");
        Assert.Contains(headers, h => h.Key == "target-pod" && h.Value == route.Target.Address);
        Assert.Contains(headers, h => h.Key == "routing-strategy" && h.Value == "least-request");
        pipeline.OnResponseBody(context, """{"usage":{"prompt_tokens":3,"completion_tokens":5,"total_tokens":8}}"""u8, endOfStream: true);
        Assert.Equal(0, route.Target.InFlight);
        var finished = Assert.Single(_observer.Finished);
        Assert.Equal((RequestOutcome.Completed, 5), (finished.Outcome, finished.Usage!.Value.CompletionTokens));
    }

    [Fact]
    public void Dispose_BeforeResponse_ReleasesSlotAndCountsAborted()
    {
        var registry = ReadyRegistry(Spec("a", "10.0.0.1:8000"));
        var pipeline = Pipeline(registry);
        var context = Begin(pipeline);
        pipeline.OnRequestHeaders(context);
        var route = pipeline.OnRequestBody(context, Chat());
        Assert.Equal(1, route.Target!.InFlight);

        context.Dispose();
        context.Dispose();

        Assert.Equal(0, route.Target.InFlight);
        Assert.Equal(RequestOutcome.Aborted, Assert.Single(_observer.Finished).Outcome);
        Assert.Equal(0, route.Target.Errors);
    }

    [Fact]
    public void OnRequestHeaders_UnsupportedPath_Rejects501()
    {
        var pipeline = Pipeline(ReadyRegistry(Spec("a", "10.0.0.1:8000")));
        using var context = Begin(pipeline, "/v1/images/generations?x=1");

        var error = pipeline.OnRequestHeaders(context);

        Assert.Equal(GatewayErrorKind.UnsupportedPath, error!.Kind);
        Assert.Equal("/v1/images/generations", error.Detail);
        Assert.Equal(RequestOutcome.Rejected, Assert.Single(_observer.Finished).Outcome);
    }

    [Fact]
    public void OnRequestHeaders_UnknownStrategy_RejectsAndNamesKnownOnes()
    {
        var pipeline = Pipeline(ReadyRegistry(Spec("a", "10.0.0.1:8000")));
        using var context = Begin(pipeline, strategy: "fastest");

        var error = pipeline.OnRequestHeaders(context);

        Assert.Equal(GatewayErrorKind.InvalidRoutingStrategy, error!.Kind);
        Assert.Contains("least-request", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{", GatewayErrorKind.InvalidRequestBody)]
    [InlineData("", GatewayErrorKind.InvalidRequestBody)]
    [InlineData("[1,2]", GatewayErrorKind.InvalidRequestBody)]
    [InlineData("""{"messages":[{"role":"user","content":"x"}]}""", GatewayErrorKind.MissingModel)]
    [InlineData("""{"model":"llama","messages":"nope"}""", GatewayErrorKind.InvalidRequestBody)]
    [InlineData("""{"model":"other","messages":[{"role":"user","content":"x"}]}""", GatewayErrorKind.UnknownModel)]
    [InlineData("""{"model":"llama","messages":[]}""", GatewayErrorKind.InvalidRequestBody)]
    public void OnRequestBody_BadBodies_RejectedWithTheirKind(string body, GatewayErrorKind kind)
    {
        var registry = ReadyRegistry(Spec("a", "10.0.0.1:8000"));
        var pipeline = Pipeline(registry);
        using var context = Begin(pipeline);
        pipeline.OnRequestHeaders(context);

        var route = pipeline.OnRequestBody(context, Encoding.UTF8.GetBytes(body));

        Assert.Equal(kind, route.Error!.Kind);
        Assert.Equal(0, registry.Current.ByName["a"].InFlight);
    }

    [Fact]
    public void OnRequestBody_KnownModelNoneReady_Is503()
    {
        var registry = new EndpointRegistry();
        registry.Apply([Spec("a", "10.0.0.1:8000")]);
        var pipeline = Pipeline(registry);
        using var context = Begin(pipeline);
        pipeline.OnRequestHeaders(context);

        var route = pipeline.OnRequestBody(context, Chat());

        Assert.Equal(GatewayErrorKind.NoReadyEndpoint, route.Error!.Kind);
    }

    [Fact]
    public void OnRequestBody_NoStrategy_LeavesRoutingToTheRoute()
    {
        var registry = ReadyRegistry(Spec("a", "10.0.0.1:8000"));
        var pipeline = Pipeline(registry, defaultStrategy: null);
        using var context = Begin(pipeline);
        pipeline.OnRequestHeaders(context);

        var route = pipeline.OnRequestBody(context, Chat());

        Assert.Null(route.Error);
        Assert.Null(route.Target);
        Assert.Equal("llama", route.Model);
        Assert.DoesNotContain(pipeline.OnResponseHeaders(context, 200, null), h => h.Key == "target-pod");
    }

    [Fact]
    public void AppendRequestBody_ChunksOverTheLimit_Rejected413()
    {
        var pipeline = Pipeline(ReadyRegistry(Spec("a", "10.0.0.1:8000")), maxBody: 100);
        using var context = Begin(pipeline);
        pipeline.OnRequestHeaders(context);

        Assert.Null(pipeline.AppendRequestBody(context, new byte[60]));
        var error = pipeline.AppendRequestBody(context, new byte[60]);

        Assert.Equal(GatewayErrorKind.BodyTooLarge, error!.Kind);
        Assert.Equal(413, ErrorMapping.Shape(error.Kind).StatusCode);
    }

    [Fact]
    public void AppendRequestBody_ChunksThenRoute_ParsesTheWholeBody()
    {
        var registry = ReadyRegistry(Spec("a", "10.0.0.1:8000"));
        var pipeline = Pipeline(registry);
        using var context = Begin(pipeline);
        pipeline.OnRequestHeaders(context);
        var body = Chat();

        foreach (var chunk in body.Chunk(3))
        {
            Assert.Null(pipeline.AppendRequestBody(context, chunk));
        }

        Assert.Equal("a", pipeline.OnRequestBody(context).Target!.Name);
    }

    [Fact]
    public void OnResponseBody_SseStream_RecordsFirstTokenAndUsage()
    {
        var pipeline = Pipeline(ReadyRegistry(Spec("a", "10.0.0.1:8000")));
        using var context = Begin(pipeline);
        pipeline.OnRequestHeaders(context);
        pipeline.OnRequestBody(context, Chat());
        pipeline.OnResponseHeaders(context, 200, "text/event-stream");

        pipeline.OnResponseBody(context, "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n"u8, false);
        Assert.NotEqual(0, context.FirstTokenTimestamp);
        pipeline.OnResponseBody(context, "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":1,\"total_tokens\":5}}\n\ndata: [DONE]\n\n"u8, true);

        Assert.Equal(4, Assert.Single(_observer.Finished).Usage!.Value.PromptTokens);
    }

    [Fact]
    public void OnResponseHeaders_Upstream5xx_CountsAnEndpointError()
    {
        var registry = ReadyRegistry(Spec("a", "10.0.0.1:8000"));
        var pipeline = Pipeline(registry);
        using var context = Begin(pipeline);
        pipeline.OnRequestHeaders(context);
        pipeline.OnRequestBody(context, Chat());

        pipeline.OnResponseHeaders(context, 503, "application/json");

        Assert.Equal(1, registry.Current.ByName["a"].Errors);
    }

    [Fact]
    public void OnRequestBody_PolicyThrows_InternalErrorNotACrash()
    {
        var registry = ReadyRegistry(Spec("a", "10.0.0.1:8000"));
        var policies = new RoutingPolicyRegistry([new ThrowingPolicy()], "boom");
        var pipeline = new GatewayPipeline(registry, policies, _observer);
        using var context = Begin(pipeline);
        pipeline.OnRequestHeaders(context);

        var route = pipeline.OnRequestBody(context, Chat());

        Assert.Equal(GatewayErrorKind.Internal, route.Error!.Kind);
        Assert.Contains("r-1", route.Error.Message, StringComparison.Ordinal);
    }

    private sealed class ThrowingPolicy : IRoutingPolicy
    {
        public string Name => "boom";

        public Endpoint Pick(RoutingRequest request, ReadOnlySpan<Endpoint> candidates) => throw new InvalidOperationException("bug");
    }

    private sealed class RecordingObserver : IGatewayObserver
    {
        public List<(RequestOutcome Outcome, Usage? Usage)> Finished { get; } = [];

        public void OnRouted(RequestContext context, double decisionSeconds)
        {
        }

        public void OnFinished(RequestContext context, RequestOutcome outcome, Usage? usage) => Finished.Add((outcome, usage));
    }
}
