using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AIBrix.EngineSim;
using AIBrix.Gateway.Tests.Infrastructure;

namespace AIBrix.Gateway.Tests.Standalone;

/// <summary>API keys, limits and the include_usage rewrite in standalone mode: the same pipeline steps as ext_proc.</summary>
public class StandaloneLimitsTests
{
    private const string Model = "m";

    [Fact]
    public async Task ApiKeyAndRpm_EnforcedThroughTheProxy()
    {
        await using var sims = await SimulatorHost.StartAsync(new SimulatorOptions { Instances = 1, Port = 0, Model = Model, TimeScale = 50 });
        string config = GatewayTestHost.ConfigFor([$"127.0.0.1:{sims.Instances[0].Port}"], Model) + "auth: {mode: apikey}\n";
        await using var gateway = await GatewayTestHost.StartAsync(config, standalone: true, extraArgs: ["--admin-insecure-loopback"]);
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        (await http.PostAsync("/CreateUser", Json("""{"name":"alice","rpm":2,"tpm":100000}"""))).EnsureSuccessStatusCode();
        using var created = await http.PostAsync("/v1/users/alice/keys", Json("{}"));
        created.EnsureSuccessStatusCode();
        string key = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;

        using var anonymous = await http.PostAsync("/v1/chat/completions", Chat());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("invalid_api_key", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        for (int i = 0; i < 2; i++)
        {
            using var ok = await SendAsync(http, key);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("2", ok.Headers.GetValues("x-ratelimit-limit-requests").Single());
        }

        using var limited = await SendAsync(http, key);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.Contains("retry-after"));
        Assert.Contains("rate_limit_exceeded", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReservationOverTheWholeTpm_413WithTheReasonNeverA429()
    {
        await using var sims = await SimulatorHost.StartAsync(new SimulatorOptions { Instances = 1, Port = 0, Model = Model, TimeScale = 50 });
        string config = GatewayTestHost.ConfigFor([$"127.0.0.1:{sims.Instances[0].Port}"], Model) + "auth: {mode: apikey}\n";
        await using var gateway = await GatewayTestHost.StartAsync(config, standalone: true, extraArgs: ["--admin-insecure-loopback"]);
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        (await http.PostAsync("/CreateUser", Json("""{"name":"alice","rpm":100,"tpm":500}"""))).EnsureSuccessStatusCode();
        using var created = await http.PostAsync("/v1/users/alice/keys", Json("{}"));
        string key = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = Json($$"""{"model":"{{Model}}","messages":[{"role":"user","content":"hi"}],"max_tokens":4000}"""),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.False(response.Headers.Contains("retry-after"));
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = doc.RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("tokens_exceed_limit", error.GetProperty("code").GetString());
        Assert.Equal("max_tokens", error.GetProperty("param").GetString());
        Assert.Contains("Limit 500", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("apikey", false)]
    [InlineData("none", true)]
    public async Task ClientAuthorization_ReachesTheEngineOnlyWithoutApiKeyAuth(string mode, bool forwarded)
    {
        await using var upstream = await RecordingUpstream.StartAsync(Model);
        string config = GatewayTestHost.ConfigFor([upstream.Address], Model) + $"auth: {{mode: {mode}}}\n";
        await using var gateway = await GatewayTestHost.StartAsync(config, standalone: true, extraArgs: ["--admin-insecure-loopback"]);
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        (await http.PostAsync("/CreateUser", Json("""{"name":"alice","rpm":10,"tpm":100000}"""))).EnsureSuccessStatusCode();
        using var created = await http.PostAsync("/v1/users/alice/keys", Json("{}"));
        string key = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat() };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.Add("user", "alice");
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(upstream.Requests);
        Assert.Equal(forwarded, seen.ContainsKey("authorization"));
        Assert.Equal("alice", seen["user"]);
    }

    [Fact]
    public async Task StreamWithoutIncludeUsage_ClientSeesNoUsageChunkButTokensAreCounted()
    {
        await using var sims = await SimulatorHost.StartAsync(new SimulatorOptions { Instances = 1, Port = 0, Model = Model, TimeScale = 50 });
        string config = GatewayTestHost.ConfigFor([$"127.0.0.1:{sims.Instances[0].Port}"], Model);
        await using var gateway = await GatewayTestHost.StartAsync(config, standalone: true);
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };

        using var response = await http.PostAsync("/v1/chat/completions", Json($$"""{"model":"{{Model}}","messages":[{"role":"user","content":"hi"}],"max_tokens":6,"stream":true}"""));
        string sse = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("\"usage\":{", sse, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", sse, StringComparison.Ordinal);
        string metrics = await http.GetStringAsync("/metrics");
        Assert.Contains($"aibrix_gateway_tokens_total{{model=\"{Model}\",kind=\"completion\"}} 6", metrics, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat() };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http.SendAsync(request);
    }

    private static StringContent Chat() => Json($$"""{"model":"{{Model}}","messages":[{"role":"user","content":"hi"}],"max_tokens":3}""");

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
