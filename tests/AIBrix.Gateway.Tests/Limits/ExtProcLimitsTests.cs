using System.Text.Json;
using AIBrix.Gateway.Tests.Infrastructure;
using static AIBrix.Gateway.Tests.Limits.LimitsFleetFixture;

namespace AIBrix.Gateway.Tests.Limits;

/// <summary>Keys and limits enforced by ext_proc itself (no ext_authz), over real gRPC and real engines.</summary>
public class ExtProcLimitsTests(LimitsFleetFixture fleet) : IClassFixture<LimitsFleetFixture>
{
    private static string Name() => "lim-" + Guid.NewGuid().ToString("N")[..8];

    private static string ErrorCode(EnvoyExchange exchange) =>
        JsonDocument.Parse(exchange.ImmediateBody).RootElement.GetProperty("error").GetProperty("code").GetString()!;

    private static string Header(EnvoyExchange exchange, string name) =>
        exchange.Immediate!.Headers.SetHeaders.Single(h => h.Header.Key == name).Header.RawValue.ToStringUtf8();

    [Fact]
    public async Task Process_NoKey_Is401InvalidApiKey()
    {
        using var envoy = fleet.Gateway.Envoy();

        var exchange = await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat(), headers: [new("user", "someone")]);

        Assert.Equal(401, (int)exchange.Immediate!.Status.Code);
        Assert.Equal("invalid_api_key", ErrorCode(exchange));
        Assert.Null(exchange.TargetPod);
    }

    [Fact]
    public async Task Process_ValidKey_RoutesAsTheKeysUserWithRateLimitHeaders()
    {
        string name = Name();
        string key = await fleet.UserWithKeyAsync(name, rpm: 100, tpm: 100_000);
        using var envoy = fleet.Gateway.Envoy();

        var exchange = await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat(), headers: [.. Bearer(key), new("user", "spoofed")]);

        Assert.Null(exchange.Immediate);
        Assert.Equal(name, exchange.RequestHeaderMutations["user"]);
        Assert.Equal(["authorization"], exchange.RemovedRequestHeaders); // the engine never sees the user's key
        Assert.Equal(200, exchange.UpstreamStatus);
        Assert.Equal("100", exchange.ResponseHeaderMutations["x-ratelimit-limit-requests"]);
        Assert.Equal("99", exchange.ResponseHeaderMutations["x-ratelimit-remaining-requests"]);
        Assert.Equal("100000", exchange.ResponseHeaderMutations["x-ratelimit-limit-tokens"]);
        Assert.True(long.Parse(exchange.ResponseHeaderMutations["x-ratelimit-remaining-tokens"], System.Globalization.CultureInfo.InvariantCulture) < 100_000);
        Assert.EndsWith("s", exchange.ResponseHeaderMutations["x-ratelimit-reset-requests"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_RpmExceeded_Is429WithHeadersAndRetryAfter()
    {
        string key = await fleet.UserWithKeyAsync(Name(), rpm: 2, tpm: 0);
        using var envoy = fleet.Gateway.Envoy();

        await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat(), headers: Bearer(key));
        await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat(), headers: Bearer(key));
        var refused = await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat(), headers: Bearer(key));

        Assert.Equal(429, (int)refused.Immediate!.Status.Code);
        Assert.Equal("rate_limit_exceeded", ErrorCode(refused));
        Assert.Equal("requests", JsonDocument.Parse(refused.ImmediateBody).RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("2", Header(refused, "x-ratelimit-limit-requests"));
        Assert.Equal("0", Header(refused, "x-ratelimit-remaining-requests"));
        Assert.EndsWith("s", Header(refused, "x-ratelimit-reset-requests"), StringComparison.Ordinal);
        Assert.InRange(int.Parse(Header(refused, "retry-after"), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
    }

    [Fact]
    public async Task Process_TpmReservationLargerThanTheLimit_Is413NeverA429()
    {
        // max_tokens 200 + the prompt estimate can't fit 100 tokens a minute, however long the client waits.
        string key = await fleet.UserWithKeyAsync(Name(), rpm: 0, tpm: 100);
        using var envoy = fleet.Gateway.Envoy();

        var refused = await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat(maxTokens: 200), headers: Bearer(key));

        Assert.Equal(413, (int)refused.Immediate!.Status.Code);
        Assert.Equal("tokens_exceed_limit", ErrorCode(refused));
        Assert.Equal("invalid_request_error", JsonDocument.Parse(refused.ImmediateBody).RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("tpm-exceeded", Header(refused, "x-error-rate-limit"));
        Assert.DoesNotContain(refused.Immediate.Headers.SetHeaders, h => h.Header.Key == "retry-after");
    }

    [Fact]
    public async Task Process_TpmWindowFull_Is429Tokens()
    {
        string key = await fleet.UserWithKeyAsync(Name(), rpm: 0, tpm: 300);
        using var envoy = fleet.Gateway.Envoy();

        var first = await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat(maxTokens: 200), headers: Bearer(key));
        var refused = await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat(maxTokens: 200), headers: Bearer(key));

        Assert.Null(first.Immediate);
        Assert.Equal(429, (int)refused.Immediate!.Status.Code);
        Assert.Equal("tokens", JsonDocument.Parse(refused.ImmediateBody).RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("300", Header(refused, "x-ratelimit-limit-tokens"));
    }

    [Fact]
    public async Task Process_RefusedByALimit_NotCountedAsServedByThePodItWasRoutedTo()
    {
        string key = await fleet.UserWithKeyAsync(Name(), rpm: 1, tpm: 0);
        using var envoy = fleet.Gateway.Envoy();
        await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat(), headers: Bearer(key));
        long served = fleet.Gateway.Registry.Current.All.Sum(e => e.Served);
        int inFlight = fleet.Gateway.Registry.Current.All.Sum(e => e.InFlight);

        var refused = await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat(), headers: Bearer(key));

        Assert.Equal(429, (int)refused.Immediate!.Status.Code);
        Assert.Equal(served, fleet.Gateway.Registry.Current.All.Sum(e => e.Served));
        Assert.Equal(inFlight, fleet.Gateway.Registry.Current.All.Sum(e => e.InFlight));
    }

    [Fact]
    public async Task Process_TpmSettledFromUsage_RefundsTheUnusedReservation()
    {
        // Each request reserves 3 (prompt bytes / 4) + 32 (template overhead) + 40 (max_tokens) = 75; the
        // simulator reports 15 + 40 = 55 used. Unsettled, 200 tokens admit 2 (150, a third needs 225); settled
        // to 55 each they admit exactly 3 (110 + 75 = 185, then 165 + 75 = 240 is refused).
        string key = await fleet.UserWithKeyAsync(Name(), rpm: 0, tpm: 200);
        using var envoy = fleet.Gateway.Envoy();
        int admitted = 0;
        for (int i = 0; i < 6; i++)
        {
            var exchange = await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat(maxTokens: 40), headers: Bearer(key));
            admitted += exchange.Immediate is null ? 1 : 0;
            await Task.Delay(100); // settlement is written in the background, right after the response
        }

        Assert.Equal(3, admitted);
    }

    [Fact]
    public async Task Process_ThreeReplicasConcurrentClients_AdmitExactlyTheRpm()
    {
        string key = await fleet.UserWithKeyAsync(Name(), rpm: 12, tpm: 0);
        var envoys = fleet.Gateways.Select(g => g.Envoy()).ToArray();
        try
        {
            var tasks = Enumerable.Range(0, 36).Select(i => Task.Run(() =>
                envoys[i % 3].SendAsync("/v1/chat/completions", SimFleetFixture.Chat(), headers: Bearer(key))));

            var exchanges = await Task.WhenAll(tasks);

            Assert.Equal(12, exchanges.Count(e => e.Immediate is null));
            Assert.All(exchanges.Where(e => e.Immediate is not null), e => Assert.Equal(429, (int)e.Immediate!.Status.Code));
        }
        finally
        {
            foreach (var envoy in envoys)
            {
                envoy.Dispose();
            }
        }
    }
}

/// <summary>Streams always report usage: the gateway asks for it and hides it from clients that did not.</summary>
public class StreamUsageTests(LimitsFleetFixture fleet) : IClassFixture<LimitsFleetFixture>
{
    private const string StreamNoUsage = """{"model":"llama-sim","messages":[{"role":"user","content":"Say hello"}],"max_tokens":40,"stream":true}""";

    [Theory]
    [InlineData(EnvoyBodyMode.Buffered)]
    [InlineData(EnvoyBodyMode.FullDuplexStreamed)]
    public async Task Process_StreamWithoutIncludeUsage_SettlesFromUsageAndHidesTheUsageChunk(EnvoyBodyMode mode)
    {
        // As in the non-streaming refund test: 200 TPM admit 3 requests only if each settles to its real 55 tokens.
        string key = await fleet.UserWithKeyAsync("stream-" + Guid.NewGuid().ToString("N")[..8], rpm: 0, tpm: 200);
        using var envoy = fleet.Gateway.Envoy();
        var exchanges = new List<EnvoyExchange>();
        for (int i = 0; i < 5; i++)
        {
            exchanges.Add(await envoy.SendAsync("/v1/chat/completions", StreamNoUsage, mode, LimitsFleetFixture.Bearer(key)));
            await Task.Delay(100); // settlement is written right after the response, in the background
        }

        var served = exchanges.Where(e => e.Immediate is null).ToList();
        Assert.Equal(3, served.Count);
        foreach (var exchange in served)
        {
            Assert.Contains("\"include_usage\":true", System.Text.Encoding.UTF8.GetString(exchange.StreamedRequestBody!), StringComparison.Ordinal);
            string body = System.Text.Encoding.UTF8.GetString(exchange.ResponseBody);
            Assert.Contains("data: [DONE]", body, StringComparison.Ordinal);
            Assert.Contains("\"delta\"", body, StringComparison.Ordinal);
            Assert.DoesNotContain("\"choices\":[]", body, StringComparison.Ordinal);
        }
    }
}
