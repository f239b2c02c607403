using System.Text.Json;
using AIBrix.Gateway.Tests.Infrastructure;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;

namespace AIBrix.Gateway.Tests.ExtProc;

public class ExtProcErrorTests(SimFleetFixture fleet) : IClassFixture<SimFleetFixture>
{
    public static TheoryData<string, string, int, string, string?> BadRequests() => new()
    {
        { "/v1/chat/completions", "{\"model\": \"llama-sim\", \"messages\": [", 400, "x-error-request-body-processing", null },
        { "/v1/chat/completions", "not json at all", 400, "x-error-request-body-processing", null },
        { "/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400, "x-error-no-model-in-request", "model" },
        { "/v1/chat/completions", "{\"model\": 42, \"messages\": []}", 400, "x-error-request-body-processing", "model" },
        { "/v1/chat/completions", "{\"model\":\"gpt-9-ultra\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 404, "x-error-no-model-backends", "model" },
        { "/v1/images/generations", "{\"model\":\"llama-sim\",\"prompt\":\"a cat\"}", 501, "x-error-unsupported-path", null },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Process_BadRequest_ImmediateOpenAIErrorWithStatusAndCauseHeader(string path, string body, int status, string header, string? param)
    {
        using var envoy = fleet.Gateway.Envoy();

        var exchange = await envoy.SendAsync(path, body);

        Assert.NotNull(exchange.Immediate);
        Assert.Equal(status, (int)exchange.Immediate.Status.Code);
        var headers = exchange.Immediate.Headers.SetHeaders.ToDictionary(h => h.Header.Key, h => h.Header.RawValue.ToStringUtf8());
        Assert.True(headers.ContainsKey(header), $"missing {header}: {string.Join(",", headers.Keys)}");
        Assert.Equal("application/json", headers["content-type"]);
        Assert.All(exchange.Immediate.Headers.SetHeaders, h => Assert.True(string.IsNullOrEmpty(h.Header.Value)));
        using var doc = JsonDocument.Parse(exchange.ImmediateBody);
        var error = doc.RootElement.GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("type").GetString()));
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.True(error.TryGetProperty("code", out _));
        Assert.Null(exchange.TargetPod);
    }

    [Fact]
    public async Task Process_UnknownModel_AnswersModelNotFoundLikeOpenAI()
    {
        using var envoy = fleet.Gateway.Envoy();

        var exchange = await envoy.SendAsync("/v1/completions", "{\"model\":\"gpt-9-ultra\",\"prompt\":\"hi\"}");

        using var doc = JsonDocument.Parse(exchange.ImmediateBody);
        Assert.Equal(404, (int)exchange.Immediate!.Status.Code);
        Assert.Equal("model_not_found", doc.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", doc.RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    public async Task Process_WrongMethodOnAnApiPath_405WithAllowPost(string method)
    {
        using var envoy = fleet.Gateway.Envoy();

        var exchange = await envoy.SendAsync("/v1/chat/completions", "", method: method);

        Assert.Equal(405, (int)exchange.Immediate!.Status.Code);
        var headers = exchange.Immediate.Headers.SetHeaders.ToDictionary(h => h.Header.Key, h => h.Header.RawValue.ToStringUtf8());
        Assert.Equal("POST", headers["allow"]);
        Assert.Equal(method, headers["x-error-method-not-allowed"]);
        using var doc = JsonDocument.Parse(exchange.ImmediateBody);
        Assert.Equal("method_not_allowed", doc.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Null(exchange.TargetPod);
    }

    [Fact]
    public async Task Process_InvalidStrategyHeader_RefusedAtHeadersPhase()
    {
        using var envoy = fleet.Gateway.Envoy();

        var exchange = await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat(), headers: [new("routing-strategy", "fastest-pod")]);

        Assert.Equal(400, (int)exchange.Immediate!.Status.Code);
        Assert.Single(exchange.AllResponses); // answered before the body was sent
        Assert.Contains("fastest-pod", exchange.ImmediateBody, StringComparison.Ordinal);
        Assert.Contains(exchange.Immediate.Headers.SetHeaders, h => h.Header.Key == "x-error-invalid-routing-strategy");
    }

    [Fact]
    public async Task Process_StrategyHeader_OverridesDefault()
    {
        using var envoy = fleet.Gateway.Envoy();

        var exchange = await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat(), headers: [new("routing-strategy", "random")]);

        Assert.Equal("random", exchange.RequestHeaderMutations["routing-strategy"]);
        Assert.Equal("random", exchange.ResponseHeaderMutations["routing-strategy"]);
    }

    [Fact]
    public async Task Process_BodilessPost_IsABadRequest()
    {
        using var envoy = fleet.Gateway.Envoy();

        var exchange = await envoy.SendAsync("/v1/chat/completions", "");

        Assert.Equal(400, (int)exchange.Immediate!.Status.Code);
    }

    [Fact]
    public async Task Process_FullDuplexMalformedBody_ImmediateResponseAfterLastChunk()
    {
        using var envoy = fleet.Gateway.Envoy();

        var exchange = await envoy.SendAsync("/v1/chat/completions", "{\"model\":\"llama-sim\",\"messages\":[{]}", EnvoyBodyMode.FullDuplexStreamed, bodyChunkSize: 5);

        Assert.Equal(400, (int)exchange.Immediate!.Status.Code);
    }

    [Fact]
    public async Task Process_MessagesOutOfOrder_DoNotBreakTheServer()
    {
        using var envoy = fleet.Gateway.Envoy();
        using (var call = envoy.Client.Process())
        {
            // A response body before any request: answered, not crashed.
            await call.RequestStream.WriteAsync(new ProcessingRequest { ResponseBody = new HttpBody { Body = ByteString.CopyFromUtf8("data: x\n\n"), EndOfStream = true } });
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            // A body without headers: no path, so the request is refused cleanly.
            await call.RequestStream.WriteAsync(new ProcessingRequest { RequestBody = new HttpBody { Body = ByteString.CopyFromUtf8(SimFleetFixture.Chat()), EndOfStream = true } });
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal(ProcessingResponse.ResponseOneofCase.ImmediateResponse, call.ResponseStream.Current.ResponseCase);
            await call.RequestStream.CompleteAsync();
        }

        var next = await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat());
        Assert.Equal(200, next.UpstreamStatus);
    }

    [Fact]
    public async Task Process_HugeBodyFullDuplex_RefusedWith413()
    {
        await using var gateway = await GatewayTestHost.StartAsync(GatewayTestHost.ConfigFor(fleet.Addresses, SimFleetFixture.Model));
        using var envoy = gateway.Envoy();
        string body = SimFleetFixture.Chat(new string('a', 33 * 1024 * 1024));

        var exchange = await envoy.SendAsync("/v1/chat/completions", body, EnvoyBodyMode.FullDuplexStreamed, bodyChunkSize: 1024 * 1024);

        Assert.Equal(413, (int)exchange.Immediate!.Status.Code);
    }

    [Fact]
    public async Task Process_ModelWithNoReadyEndpoint_Answers503()
    {
        string config = GatewayTestHost.ConfigFor(fleet.Addresses, SimFleetFixture.Model)
            .Replace("endpoints:\n", "endpoints:\n  - {name: dead, address: \"127.0.0.1:1\", model: ghost}\n", StringComparison.Ordinal);
        await using var gateway = await GatewayTestHost.StartAsync(config, waitUntilReady: false);
        await gateway.WaitUntilAsync(s => s.All.Where(e => e.Name != "dead").All(e => e.IsReady) && s.ByName["dead"].Health.ConsecutiveFailures >= 2, "dead pod scraped and failing");
        using var envoy = gateway.Envoy();

        var exchange = await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat(model: "ghost"));

        Assert.Equal(503, (int)exchange.Immediate!.Status.Code);
        Assert.Contains("ghost", exchange.ImmediateBody, StringComparison.Ordinal);
        var debug = await gateway.Http.GetStringAsync("/debug/endpoints");
        using var doc = JsonDocument.Parse(debug);
        var dead = doc.RootElement.GetProperty("endpoints").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "dead");
        Assert.False(dead.GetProperty("ready").GetBoolean());
        Assert.True(dead.GetProperty("stale").GetBoolean());
        Assert.False(string.IsNullOrEmpty(dead.GetProperty("lastError").GetString()));
    }

    [Fact]
    public async Task Process_NoStrategyConfigured_SetsOnlyModelHeaderForTheRoute()
    {
        await using var gateway = await GatewayTestHost.StartAsync(GatewayTestHost.ConfigFor(fleet.Addresses, SimFleetFixture.Model, defaultStrategy: null));
        using var envoy = gateway.Envoy();

        var exchange = await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat());

        Assert.Null(exchange.Immediate);
        Assert.Equal(SimFleetFixture.Model, exchange.RequestHeaderMutations["model"]);
        Assert.False(exchange.RequestHeaderMutations.ContainsKey("target-pod"));
        Assert.True(exchange.ClearRouteCache);
    }
}
