using AIBrix.Gateway.Core.Errors;
using AIBrix.Gateway.Core.Limits;
using Microsoft.Extensions.Logging.Abstractions;

namespace AIBrix.Gateway.Core.Tests.Limits;

public class RequestLimiterTests
{
    private readonly ManualTime _time = new();
    private readonly InMemoryUserStore _users = new();

    private RequestLimiter Limiter(ILimitStore store, LimitFailureMode mode = LimitFailureMode.Open) =>
        new(_users, store, new AuthSettings { Mode = AuthMode.ApiKey }, new LimitSettings { FailureMode = mode }, _time, NullLogger.Instance);

    [Fact]
    public async Task AuthenticateAsync_ValidKey_ReturnsItsUser()
    {
        var (record, key) = ApiKeys.Create("alice", _time.GetUtcNow());
        await _users.AddKeyAsync(record);
        using var limiter = Limiter(new InMemoryLimitStore(_users, _time));

        Assert.Equal("alice", (await limiter.AuthenticateAsync("Bearer " + key)).User);
        Assert.Equal(GatewayErrorKind.InvalidApiKey, (await limiter.AuthenticateAsync(null)).Error?.Kind);
        Assert.Equal(GatewayErrorKind.InvalidApiKey, (await limiter.AuthenticateAsync("Bearer " + key + "x")).Error?.Kind);
        Assert.Equal(GatewayErrorKind.InvalidApiKey, (await limiter.AuthenticateAsync("Bearer sk-other")).Error?.Kind);
    }

    [Fact]
    public async Task AdmitAsync_Refusal_CarriesOpenAIHeaders()
    {
        await _users.CreateUserAsync(new UserRecord("a", 1, 0));
        using var limiter = Limiter(new InMemoryLimitStore(_users, _time));
        await limiter.AdmitAsync("a", "m", 1);
        _time.Advance(TimeSpan.FromSeconds(20.5));

        var (_, error) = await limiter.AdmitAsync("a", "m", 1);

        Assert.Equal(GatewayErrorKind.RequestRateLimited, error?.Kind);
        var headers = error!.Headers.ToDictionary(h => h.Key, h => h.Value);
        Assert.Equal("1", headers["x-ratelimit-limit-requests"]);
        Assert.Equal("0", headers["x-ratelimit-remaining-requests"]);
        Assert.Equal("39.5s", headers["x-ratelimit-reset-requests"]);
        Assert.Equal("40", headers["retry-after"]);
    }

    [Theory]
    [InlineData(LimitFailureMode.Open, null)]
    [InlineData(LimitFailureMode.Closed, GatewayErrorKind.LimitsUnavailable)]
    public async Task AdmitAsync_StoreDown_AppliesTheFailureMode(LimitFailureMode mode, GatewayErrorKind? expected)
    {
        await _users.CreateUserAsync(new UserRecord("a", 1, 0));
        using var limiter = Limiter(new FlakyStore(new InMemoryLimitStore(_users, _time)) { Down = true }, mode);

        var (reservation, error) = await limiter.AdmitAsync("a", "m", 1);

        Assert.Null(reservation);
        Assert.Equal(expected, error?.Kind);
        Assert.True(limiter.InOutage);
    }

    [Fact]
    public async Task Settle_StoreDown_QueuesAndWritesOnceItIsBack()
    {
        await _users.CreateUserAsync(new UserRecord("a", 0, 100));
        var store = new FlakyStore(new InMemoryLimitStore(_users, _time));
        using var limiter = new RequestLimiter(_users, store, AuthSettings.Default, LimitSettings.Default, TimeProvider.System, NullLogger.Instance);
        var (reservation, _) = await limiter.AdmitAsync("a", "m", 100);
        store.Down = true;

        limiter.Settle(reservation!, 10);
        Assert.Equal(1, limiter.PendingSettlements);
        store.Down = false;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (limiter.PendingSettlements > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(0, limiter.PendingSettlements);
        Assert.Equal(1, store.Settled);
        Assert.Null((await limiter.AdmitAsync("a", "m", 90)).Error);
    }

    [Fact]
    public void Reservation_PromptEstimatePlusCap()
    {
        using var limiter = Limiter(new InMemoryLimitStore(_users, _time));
        var chat = global::AIBrix.Gateway.Core.OpenAI.OpenAIRequestParser.Parse(global::AIBrix.Gateway.Core.OpenAI.OpenAIApi.ChatCompletions,
            """{"model":"m","messages":[{"role":"user","content":"0123456789"}],"max_tokens":7}"""u8).Request!;
        var embed = global::AIBrix.Gateway.Core.OpenAI.OpenAIRequestParser.Parse(global::AIBrix.Gateway.Core.OpenAI.OpenAIApi.Embeddings, """{"model":"m","input":"0123"}"""u8).Request!;
        var noCap = global::AIBrix.Gateway.Core.OpenAI.OpenAIRequestParser.Parse(global::AIBrix.Gateway.Core.OpenAI.OpenAIApi.Completions, """{"model":"m","prompt":"abcd"}"""u8).Request!;

        Assert.Equal(3 + 32 + 7, limiter.Reservation(chat));
        Assert.Equal(1 + 32, limiter.Reservation(embed));
        Assert.Equal(1 + 32 + 1024, limiter.Reservation(noCap));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(250, "250ms")]
    [InlineData(1500, "1.5s")]
    [InlineData(60_000, "1m0s")]
    [InlineData(61_250, "1m1.25s")]
    public void Duration_OpenAIFormat(int ms, string expected) =>
        Assert.Equal(expected, RateLimitHeaders.Duration(TimeSpan.FromMilliseconds(ms)));

    private sealed class FlakyStore(ILimitStore inner) : ILimitStore
    {
        public volatile bool Down;
        public int Settled;

        public ValueTask<AdmissionDecision> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken = default) =>
            Down ? throw new LimitStoreUnavailableException("down") : inner.AdmitAsync(request, cancellationToken);

        public async ValueTask SettleAsync(Settlement settlement, CancellationToken cancellationToken = default)
        {
            if (Down)
            {
                throw new LimitStoreUnavailableException("down");
            }

            await inner.SettleAsync(settlement, cancellationToken);
            Interlocked.Increment(ref Settled);
        }
    }
}
