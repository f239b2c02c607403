using System.Text;
using AIBrix.Gateway.Core.Errors;
using AIBrix.Gateway.Core.Processing;
using AIBrix.Gateway.Core.Routing;
using static AIBrix.Gateway.Core.Tests.TestEndpoints;

namespace AIBrix.Gateway.Core.Tests.Processing;

/// <summary>
/// The rows of docs/errors.md for request headers and bodies, through the request seams every host calls: each bad
/// input gets its error kind (hence status) and leaves no slot held on any endpoint.
/// </summary>
public class HostileRequestTests
{
    private static readonly byte[] Chat = Encoding.UTF8.GetBytes("""{"model":"llama","messages":[{"role":"user","content":"hello"}]}""");

    private static async Task<(RouteDecision Decision, int InFlight, GatewayError? HeaderError)> RouteAsync(
        byte[] body, Action<RequestContext>? headers = null, int maxBody = 1 << 20)
    {
        var registry = ReadyRegistry(Spec("a", "10.0.0.1:8000"));
        var pipeline = new GatewayPipeline(registry, RoutingPolicyRegistry.CreateDefault("least-request"), options: new GatewayPipelineOptions { MaxRequestBodyBytes = maxBody });
        using var context = pipeline.Begin();
        context.Headers[":path"] = "/v1/chat/completions";
        context.Headers[":method"] = "POST";
        headers?.Invoke(context);
        var headerError = await pipeline.OnRequestHeadersAsync(context);
        var decision = headerError is null ? await pipeline.RouteAsync(context, body) : RouteDecision.Fail(headerError);
        return (decision, registry.Current.ByName["a"].InFlight, headerError);
    }

    public static TheoryData<string, byte[], GatewayErrorKind, int> Bodies() => new()
    {
        { "empty", [], GatewayErrorKind.InvalidRequestBody, 400 },
        { "malformed", "{\"model\":\"llama\","u8.ToArray(), GatewayErrorKind.InvalidRequestBody, 400 },
        { "model a number", """{"model":7,"messages":[{"role":"user","content":"x"}]}"""u8.ToArray(), GatewayErrorKind.InvalidRequestBody, 400 },
        { "no model", """{"messages":[{"role":"user","content":"x"}]}"""u8.ToArray(), GatewayErrorKind.MissingModel, 400 },
        { "messages a string", """{"model":"llama","messages":"hi"}"""u8.ToArray(), GatewayErrorKind.InvalidRequestBody, 400 },
        { "stream a string", """{"model":"llama","messages":[{"role":"user","content":"x"}],"stream":"yes"}"""u8.ToArray(), GatewayErrorKind.InvalidRequestBody, 400 },
        { "max_tokens negative", """{"model":"llama","messages":[{"role":"user","content":"x"}],"max_tokens":-1}"""u8.ToArray(), GatewayErrorKind.InvalidRequestBody, 400 },
        { "non-UTF-8 prompt", [.. "{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\""u8, 0xff, 0xfe, 0xc3, .. "\"}]}"u8], GatewayErrorKind.InvalidRequestBody, 400 },
        { "non-UTF-8 model", [.. "{\"model\":\""u8, 0xc0, 0xaf, .. "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"u8], GatewayErrorKind.InvalidRequestBody, 400 },
        { "nested 10,000 deep", Encoding.UTF8.GetBytes("{\"model\":\"llama\",\"x\":" + new string('[', 10_000) + new string(']', 10_000) + "}"), GatewayErrorKind.InvalidRequestBody, 400 },
        { "unknown model", """{"model":"gpt-9","messages":[{"role":"user","content":"x"}]}"""u8.ToArray(), GatewayErrorKind.UnknownModel, 404 },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task RouteAsync_BadBody_ErrorKindAndStatusNoSlotHeld(string what, byte[] body, GatewayErrorKind kind, int status)
    {
        var (decision, inFlight, _) = await RouteAsync(body);

        Assert.True(decision.Error is not null, what);
        Assert.Equal(kind, decision.Error!.Kind);
        Assert.Equal(status, ErrorMapping.Shape(decision.Error.Kind).StatusCode);
        Assert.Equal(0, inFlight);
    }

    [Fact]
    public async Task RouteAsync_BodyOverTheCap_413()
    {
        var (decision, inFlight, _) = await RouteAsync(Chat, maxBody: 16);

        Assert.Equal(GatewayErrorKind.BodyTooLarge, decision.Error!.Kind);
        Assert.Equal(413, ErrorMapping.Shape(decision.Error.Kind).StatusCode);
        Assert.Equal(0, inFlight);
    }

    [Theory]
    [InlineData("no-such-strategy")]
    [InlineData("prefix-cache\u00e9\u4e2d")]
    [InlineData("\u0001\u0002")]
    public async Task RouteAsync_BadRoutingStrategy_400EchoBoundedAndSanitized(string strategy)
    {
        var (decision, inFlight, _) = await RouteAsync(Chat, c => c.Headers["routing-strategy"] = strategy);

        Assert.Equal(GatewayErrorKind.InvalidRoutingStrategy, decision.Error!.Kind);
        Assert.Equal(0, inFlight);
        var response = ErrorMapping.Response(decision.Error, "r-1");
        Assert.All(response.Headers, h => Assert.All(h.Value, ch => Assert.InRange(ch, ' ', '~')));   // header values stay printable ASCII
    }

    [Fact]
    public async Task RouteAsync_HugeRoutingStrategy_EchoCutToABoundedLength()
    {
        string huge = new('x', 100_000);

        var (decision, _, _) = await RouteAsync(Chat, c => c.Headers["routing-strategy"] = huge);

        Assert.Equal(GatewayErrorKind.InvalidRoutingStrategy, decision.Error!.Kind);
        var response = ErrorMapping.Response(decision.Error, "r-1");
        Assert.True(response.Body.Length < 2_000, $"error body of {response.Body.Length} bytes");
        Assert.All(response.Headers, h => Assert.True(h.Value.Length < 1_000, $"{h.Key} is {h.Value.Length} chars"));
    }

    [Fact]
    public async Task RouteAsync_HugeNonAsciiUserHeader_RoutedNotCrashed()
    {
        var (decision, inFlight, _) = await RouteAsync(Chat, c => c.Headers["user"] = new string('\u00e9', 50_000));

        Assert.Null(decision.Error);   // no limiter: the user only steers fairness policies
        Assert.Equal(1, inFlight);
    }
}
