using System.Text;
using AIBrix.Gateway.Tests.Infrastructure;
using Envoy.Service.Auth.V3;
using Grpc.Net.Client;

namespace AIBrix.Gateway.Tests.Errors;

/// <summary>
/// One refusal, three protocols: ext_authz (gRPC), ext_proc (gRPC) and the standalone proxy (HTTP) must
/// send the same status, the same error headers and the same body for the same error, since all three
/// take them from ErrorMapping alone.
/// </summary>
public sealed class ErrorResponseParityTests(ErrorResponseParityTests.Gateways gateways) : IClassFixture<ErrorResponseParityTests.Gateways>
{
    private const string Model = "m";
    private const string RequestId = "parity-1";
    private const string Body = """{"model":"m","messages":[{"role":"user","content":"hi"}]}""";

    /// <summary>An ext_proc gateway (which also serves ext_authz) and a standalone one, both with API keys required.</summary>
    public sealed class Gateways : IAsyncLifetime
    {
        public RecordingUpstream Upstream { get; private set; } = null!;

        public GatewayTestHost ExtProc { get; private set; } = null!;

        public GatewayTestHost Standalone { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Upstream = await RecordingUpstream.StartAsync(Model);
            string config = GatewayTestHost.ConfigFor([Upstream.Address], Model) + "auth: {mode: apikey, enforceInExtProc: true}\n";
            ExtProc = await GatewayTestHost.StartAsync(config);
            Standalone = await GatewayTestHost.StartAsync(config, standalone: true);
        }

        public async Task DisposeAsync()
        {
            await Standalone.DisposeAsync();
            await ExtProc.DisposeAsync();
            await Upstream.DisposeAsync();
        }
    }

    private sealed record Refusal(int Status, SortedDictionary<string, string> Headers, string Body);

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not-one-of-ours")]
    [InlineData("Bearer aibrix-000000000000-doesnotexist")]
    public async Task InvalidApiKey_SameStatusHeadersAndBody_InExtAuthzExtProcAndStandalone(string? authorization)
    {
        var headers = authorization is null ? [] : new List<KeyValuePair<string, string>> { new("authorization", authorization) };

        var extAuthz = await ExtAuthzAsync(authorization);
        var extProc = await ExtProcAsync(headers);
        var http = await HttpAsync(headers, extProc.Headers.Keys);

        Assert.Equal(401, extAuthz.Status);
        Assert.Equal("true", extAuthz.Headers["x-error-invalid-api-key"]); // no cause to name: all three say "true"
        AssertSame(extAuthz, extProc);
        AssertSame(extAuthz, http);
    }

    [Fact]
    public async Task InvalidStrategy_CauseInTheErrorHeader_InExtProcAndStandalone()
    {
        List<KeyValuePair<string, string>> headers = [new("routing-strategy", "fastest-pod")];

        var extProc = await ExtProcAsync(headers);
        var http = await HttpAsync(headers, extProc.Headers.Keys);

        Assert.Equal(400, extProc.Status);
        Assert.Equal("fastest-pod", extProc.Headers["x-error-invalid-routing-strategy"]);
        AssertSame(extProc, http);
    }

    [Fact]
    public async Task HugeStrategyHeader_EchoedCutToABoundedLength_InExtProcAndStandalone()
    {
        // ext_proc gets the header whole (100 KB); Kestrel refuses header sections over 32 KB itself, so standalone gets 30 KB.
        var extProc = await ExtProcAsync([new("routing-strategy", new string('s', 100_000))]);
        var http = await HttpAsync([new("routing-strategy", new string('s', 30_000))], extProc.Headers.Keys);

        foreach (var (refusal, length) in new[] { (extProc, 100_000), (http, 30_000) })
        {
            Assert.Equal(400, refusal.Status);
            Assert.True(refusal.Body.Length < 1_000, $"body is {refusal.Body.Length} bytes");
            Assert.Contains($"({length} chars)", refusal.Body, StringComparison.Ordinal);
            Assert.Equal(256, refusal.Headers["x-error-invalid-routing-strategy"].Length);
        }
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("DELETE")]
    public async Task WrongMethod_405WithAllowPost_InStandalone(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "/v1/chat/completions");

        using var response = await gateways.Standalone.Http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
        string body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"code\":\"method_not_allowed\"", body, StringComparison.Ordinal);
    }

    private static void AssertSame(Refusal expected, Refusal actual)
    {
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Headers, actual.Headers);
        Assert.Equal(expected.Body, actual.Body);
    }

    private async Task<Refusal> ExtAuthzAsync(string? authorization)
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{gateways.ExtProc.GrpcPort}");
        var client = new Authorization.AuthorizationClient(channel);
        var http = new AttributeContext.Types.HttpRequest { Id = RequestId, Method = "POST", Path = "/v1/chat/completions", Host = "gw", Scheme = "http", Size = -1, Protocol = "HTTP/1.1" };
        http.Headers[":method"] = "POST";
        http.Headers[":path"] = "/v1/chat/completions";
        http.Headers["x-request-id"] = RequestId;
        if (authorization is not null)
        {
            http.Headers["authorization"] = authorization;
        }

        var response = await client.CheckAsync(new CheckRequest { Attributes = new AttributeContext { Request = new AttributeContext.Types.Request { Http = http } } });
        Assert.Equal(CheckResponse.HttpResponseOneofCase.DeniedResponse, response.HttpResponseCase);
        var denied = response.DeniedResponse;
        return new((int)denied.Status.Code, Sorted(denied.Headers.Select(h => KeyValuePair.Create(h.Header.Key, h.Header.RawValue.ToStringUtf8()))), denied.Body);
    }

    private async Task<Refusal> ExtProcAsync(List<KeyValuePair<string, string>> headers)
    {
        using var envoy = gateways.ExtProc.Envoy();
        var exchange = await envoy.SendAsync("/v1/chat/completions", Body, headers: [.. headers, new("x-request-id", RequestId)]);
        var immediate = exchange.Immediate ?? throw new Xunit.Sdk.XunitException("ext_proc did not refuse the request");
        return new((int)immediate.Status.Code, Sorted(immediate.Headers.SetHeaders.Select(h => KeyValuePair.Create(h.Header.Key, h.Header.RawValue.ToStringUtf8()))), exchange.ImmediateBody);
    }

    /// <summary>The standalone answer, keeping only the headers the gateway chose (HTTP adds date, server, length).</summary>
    private async Task<Refusal> HttpAsync(List<KeyValuePair<string, string>> headers, IEnumerable<string> names)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-request-id", RequestId);
        foreach (var (key, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(key, value);
        }

        using var response = await gateways.Standalone.Http.SendAsync(request);
        var all = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value));
        var chosen = all.Where(h => h.Key.StartsWith("x-error-", StringComparison.Ordinal) || names.Contains(h.Key));
        return new((int)response.StatusCode, Sorted(chosen), await response.Content.ReadAsStringAsync());
    }

    private static SortedDictionary<string, string> Sorted(IEnumerable<KeyValuePair<string, string>> headers) =>
        new(headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value), StringComparer.Ordinal);
}
