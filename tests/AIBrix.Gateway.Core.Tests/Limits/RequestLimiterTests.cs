using AIBrix.Gateway.Core.Errors;
using AIBrix.Gateway.Core.Limits;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AIBrix.Gateway.Core.Tests.Limits;

public class RequestLimiterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero));
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
    public async Task AuthenticateAsync_VerifiedKey_IsCachedForTheTtlThenAskedAgain()
    {
        var (record, key) = ApiKeys.Create("alice", _time.GetUtcNow());
        var users = new CountingUserStore(_users);
        await _users.AddKeyAsync(record);
        using var limiter = new RequestLimiter(users, new InMemoryLimitStore(_users, _time), new AuthSettings { Mode = AuthMode.ApiKey }, LimitSettings.Default, _time, NullLogger.Instance);

        for (int i = 0; i < 5; i++)
        {
            Assert.Equal("alice", (await limiter.AuthenticateAsync("Bearer " + key)).User);
        }

        int lookupsWithinTtl = users.Lookups;
        Assert.Equal(GatewayErrorKind.InvalidApiKey, (await limiter.AuthenticateAsync("Bearer " + key + "x")).Error?.Kind); // a wrong secret for a cached id
        await _users.RevokeKeyAsync("alice", record.Id); // revoked on another replica
        _time.Advance(TimeSpan.FromSeconds(11));
        var afterTtl = await limiter.AuthenticateAsync("Bearer " + key);

        Assert.Equal(1, lookupsWithinTtl);
        Assert.Equal(GatewayErrorKind.InvalidApiKey, afterTtl.Error?.Kind);
        Assert.Equal(2, users.Lookups);
    }

    [Fact]
    public async Task AuthenticateAsync_StoreDown_KnownKeyStillAcceptedWithinStaleWindowUnknownRefused()
    {
        var (record, key) = ApiKeys.Create("alice", _time.GetUtcNow());
        var (other, otherKey) = ApiKeys.Create("bob", _time.GetUtcNow());
        var users = new CountingUserStore(_users);
        await _users.AddKeyAsync(record);
        await _users.AddKeyAsync(other);
        using var limiter = new RequestLimiter(users, new InMemoryLimitStore(_users, _time), new AuthSettings { Mode = AuthMode.ApiKey }, LimitSettings.Default, _time, NullLogger.Instance);
        Assert.Equal("alice", (await limiter.AuthenticateAsync("Bearer " + key)).User);

        users.Down = true;
        _time.Advance(TimeSpan.FromMinutes(1));
        var known = await limiter.AuthenticateAsync("Bearer " + key);
        var wrongSecret = await limiter.AuthenticateAsync("Bearer " + key + "x");
        var neverSeen = await limiter.AuthenticateAsync("Bearer " + otherKey);
        _time.Advance(TimeSpan.FromMinutes(5));
        var tooOld = await limiter.AuthenticateAsync("Bearer " + key);

        Assert.Equal("alice", known.User);
        Assert.Equal(GatewayErrorKind.InvalidApiKey, wrongSecret.Error?.Kind);
        Assert.Equal(GatewayErrorKind.LimitsUnavailable, neverSeen.Error?.Kind);
        Assert.Equal(GatewayErrorKind.LimitsUnavailable, tooOld.Error?.Kind);
        Assert.True(limiter.InOutage);
    }

    [Fact]
    public async Task ForgetKey_RevokedOnThisReplica_RefusedAtOnce()
    {
        var (record, key) = ApiKeys.Create("alice", _time.GetUtcNow());
        await _users.AddKeyAsync(record);
        using var limiter = Limiter(new InMemoryLimitStore(_users, _time));
        Assert.Equal("alice", (await limiter.AuthenticateAsync("Bearer " + key)).User);

        await _users.RevokeKeyAsync("alice", record.Id);
        limiter.ForgetKey(record.Id);

        Assert.Equal(GatewayErrorKind.InvalidApiKey, (await limiter.AuthenticateAsync("Bearer " + key)).Error?.Kind);
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

    [Fact]
    public async Task AdmitAsync_ReservationLargerThanTheWholeTpm_NonRetryable413NotA429()
    {
        await _users.CreateUserAsync(new UserRecord("a", 0, 1000));
        using var limiter = Limiter(new InMemoryLimitStore(_users, _time));
        Assert.Null((await limiter.AdmitAsync("a", "m", 900)).Error);

        var (tooBig, never) = await limiter.AdmitAsync("a", "m", 1001);
        var (_, later) = await limiter.AdmitAsync("a", "m", 200);

        Assert.Null(tooBig);
        Assert.Equal(GatewayErrorKind.TokensExceedLimit, never?.Kind);
        Assert.Equal(413, ErrorMapping.Shape(never!.Kind).StatusCode);
        Assert.DoesNotContain(never.Headers, h => h.Key == "retry-after");
        Assert.Contains("Limit 1000, Requested 1001", never.Message, StringComparison.Ordinal);
        Assert.Equal(GatewayErrorKind.TokenRateLimited, later?.Kind); // fits an empty window: a wait helps, so 429
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
    public async Task AdmitAsync_StoreAppliedButItsAnswerWasLost_ReleasesTheReservation()
    {
        // A Redis call that times out on a loaded machine may still run: the reservation must not stay held.
        await _users.CreateUserAsync(new UserRecord("a", 0, 100));
        var store = new AnswerLostStore(new InMemoryLimitStore(_users, _time)) { LoseAnswers = true };
        using var limiter = Limiter(store, LimitFailureMode.Closed);

        var (lost, error) = await limiter.AdmitAsync("a", "m", 100);
        store.LoseAnswers = false;

        Assert.Null(lost);
        Assert.Equal(GatewayErrorKind.LimitsUnavailable, error?.Kind);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (store.Settlements == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        var (whole, refusal) = await limiter.AdmitAsync("a", "m", 100);
        Assert.Null(refusal); // the whole TPM is free again: the lost admission was released
        Assert.NotNull(whole);
    }

    [Fact]
    public async Task Admit_AnswerLostAndStoreStillAway_ReleaseIsRetriedUntilTheStoreIsBack()
    {
        // Redis restarted with its append-only file: the admission was kept, its answer lost, and the first release
        // attempt fails too. The release must be retried, not dropped, or the reservation stays held for its window.
        await _users.CreateUserAsync(new UserRecord("a", 0, 100));
        var store = new AnswerLostStore(new InMemoryLimitStore(_users, _time)) { LoseAnswers = true, FailSettlements = true };
        using var limiter = new RequestLimiter(_users, store, AuthSettings.Default, new LimitSettings { FailureMode = LimitFailureMode.Closed }, TimeProvider.System, NullLogger.Instance);

        var (lost, _) = await limiter.AdmitAsync("a", "m", 100);
        Assert.Null(lost);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (limiter.PendingSettlements == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(1, limiter.PendingSettlements);
        store.LoseAnswers = false;
        store.FailSettlements = false;
        while (store.Settlements == 0 && DateTime.UtcNow < deadline + TimeSpan.FromSeconds(60))
        {
            await Task.Delay(10);
        }

        var (whole, refusal) = await limiter.AdmitAsync("a", "m", 100);
        Assert.Null(refusal); // the whole TPM is free again: the release got through once the store was back
        Assert.NotNull(whole);
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
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
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

    /// <summary>Counts key lookups and can be "down" for them; everything else goes to the inner store.</summary>
    private sealed class CountingUserStore(IUserStore inner) : IUserStore
    {
        public volatile bool Down;
        public int Lookups;

        public ValueTask<ApiKeyRecord?> FindKeyAsync(string id, CancellationToken cancellationToken = default)
        {
            if (Down)
            {
                throw new LimitStoreUnavailableException("down");
            }

            Interlocked.Increment(ref Lookups);
            return inner.FindKeyAsync(id, cancellationToken);
        }

        public ValueTask<bool> CreateUserAsync(UserRecord user, CancellationToken cancellationToken = default) => inner.CreateUserAsync(user, cancellationToken);

        public ValueTask<UserRecord?> GetUserAsync(string name, CancellationToken cancellationToken = default) => inner.GetUserAsync(name, cancellationToken);

        public ValueTask<bool> UpdateUserAsync(UserRecord user, CancellationToken cancellationToken = default) => inner.UpdateUserAsync(user, cancellationToken);

        public ValueTask<bool> DeleteUserAsync(string name, CancellationToken cancellationToken = default) => inner.DeleteUserAsync(name, cancellationToken);

        public ValueTask<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken cancellationToken = default) => inner.ListUsersAsync(cancellationToken);

        public ValueTask AddKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken = default) => inner.AddKeyAsync(key, cancellationToken);

        public ValueTask<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(string user, CancellationToken cancellationToken = default) => inner.ListKeysAsync(user, cancellationToken);

        public ValueTask<bool> RevokeKeyAsync(string user, string id, CancellationToken cancellationToken = default) => inner.RevokeKeyAsync(user, id, cancellationToken);
    }

    /// <summary>Applies admissions, then fails as a timed-out call does while <see cref="LoseAnswers"/>.</summary>
    private sealed class AnswerLostStore(ILimitStore inner) : ILimitStore
    {
        public volatile bool LoseAnswers;
        public volatile bool FailSettlements;
        public int Settlements;

        public async ValueTask<AdmissionDecision> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken = default)
        {
            var decision = await inner.AdmitAsync(request, cancellationToken);
            return LoseAnswers ? throw new LimitStoreUnavailableException("timeout") : decision;
        }

        public async ValueTask SettleAsync(Settlement settlement, CancellationToken cancellationToken = default)
        {
            if (FailSettlements)
            {
                throw new LimitStoreUnavailableException("down");
            }

            await inner.SettleAsync(settlement, cancellationToken);
            Interlocked.Increment(ref Settlements);
        }
    }

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
