using AIBrix.Gateway.Core.Errors;
using AIBrix.Gateway.Core.Limits;
using Microsoft.Extensions.Logging.Abstractions;

namespace AIBrix.Gateway.Redis.Tests;

/// <summary>Redis killed and restarted under a limiter: it keeps answering, counts the outage, and catches up.</summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    private RedisServer _server = null!;
    private StackExchange.Redis.ConnectionMultiplexer _connection = null!;

    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartAsync();
        _connection = await RedisFixture.ConnectAsync(_server.HostPort);
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData(LimitFailureMode.Open)]
    [InlineData(LimitFailureMode.Closed)]
    public async Task Outage_FailureMode_DecidesAndEnforcementResumesAfterRestart(LimitFailureMode mode)
    {
        var users = new RedisUserStore(_connection);
        await users.CreateUserAsync(new UserRecord("alice", 2, 0));
        var observer = new CountingObserver();
        using var limiter = new RequestLimiter(users, new RedisLimitStore(_connection), AuthSettings.Default,
            new LimitSettings { FailureMode = mode }, TimeProvider.System, NullLogger.Instance, observer);
        Assert.Null((await limiter.AdmitAsync("alice", "m", 1)).Error);

        await _server.KillAsync();
        var down1 = await limiter.AdmitAsync("alice", "m", 1);
        var down2 = await limiter.AdmitAsync("alice", "m", 1);

        Assert.True(limiter.InOutage);
        Assert.Equal(1, observer.Outages);
        Assert.True(observer.Errors >= 2);
        if (mode == LimitFailureMode.Open)
        {
            Assert.Null(down1.Error);
            Assert.Null(down2.Error);
        }
        else
        {
            Assert.Equal(GatewayErrorKind.LimitsUnavailable, down1.Error?.Kind);
            Assert.Equal(GatewayErrorKind.LimitsUnavailable, down2.Error?.Kind);
        }

        // The restarted server is empty (no persistence): recreate the user, then wait for the client to reconnect.
        await _server.StartAgainAsync();
        var deadline = DateTime.UtcNow + Patience;
        while (!await RedisFixture.AnswersAsync(_connection))
        {
            Assert.True(DateTime.UtcNow < deadline, "the client never reconnected to the restarted server");
            await Task.Delay(10);
        }

        await users.CreateUserAsync(new UserRecord("alice", 2, 0));
        Assert.Null((await limiter.AdmitAsync("alice", "m", 1)).Error);
        Assert.Null((await limiter.AdmitAsync("alice", "m", 1)).Error);
        Assert.Equal(GatewayErrorKind.RequestRateLimited, (await limiter.AdmitAsync("alice", "m", 1)).Error?.Kind);
        Assert.False(limiter.InOutage);
    }

    [Fact]
    public async Task Settle_DuringOutage_IsRetriedUntilRedisTakesIt()
    {
        var users = new RedisUserStore(_connection);
        await users.CreateUserAsync(new UserRecord("bob", 0, 1000));
        using var limiter = new RequestLimiter(users, new RedisLimitStore(_connection), AuthSettings.Default,
            LimitSettings.Default, TimeProvider.System, NullLogger.Instance);
        var (reservation, error) = await limiter.AdmitAsync("bob", "m", 1000);
        Assert.Null(error);
        // A killed server loses its keys (no persistence here), so the refund would have nothing to refund: pausing
        // writes makes the settlement fail while keeping the data. The pause outlasts any wait below and ends only
        // when the test has seen the failure, so the client's 1 s timeout fires however late the write goes out.
        Assert.Equal("+OK", await _server.CommandAsync("CLIENT PAUSE 300000 WRITE"));
        try
        {
            limiter.Settle(reservation!, 0);

            Assert.True(await Eventually(() => limiter.PendingSettlements > 0), "the failed settlement was not queued");
        }
        finally
        {
            Assert.Equal("+OK", await _server.CommandAsync("CLIENT UNPAUSE"));
        }

        // Writes are taken again: the queue drains.
        Assert.True(await Eventually(() => limiter.PendingSettlements == 0), "the queued settlement was never written");
        var (again, refused) = await limiter.AdmitAsync("bob", "m", 1000);
        Assert.Null(refused);
        Assert.NotNull(again);
    }

    [Fact]
    public async Task ApiKeys_DuringOutage_KnownKeysPassUnknownAreRefused()
    {
        var users = new RedisUserStore(_connection);
        await users.CreateUserAsync(new UserRecord("carol", 0, 0));
        var (known, knownKey) = ApiKeys.Create("carol", DateTimeOffset.UtcNow);
        var (other, otherKey) = ApiKeys.Create("carol", DateTimeOffset.UtcNow);
        await users.AddKeyAsync(known);
        await users.AddKeyAsync(other);
        // No fresh cache (every check asks Redis), so the outage path itself is what answers below.
        using var limiter = new RequestLimiter(users, new RedisLimitStore(_connection), new AuthSettings { Mode = AuthMode.ApiKey, KeyCacheTtl = TimeSpan.Zero },
            LimitSettings.Default, TimeProvider.System, NullLogger.Instance);
        Assert.Equal("carol", (await limiter.AuthenticateAsync("Bearer " + knownKey)).User);

        await _server.KillAsync();
        var knownDuring = await limiter.AuthenticateAsync("Bearer " + knownKey);
        var otherDuring = await limiter.AuthenticateAsync("Bearer " + otherKey);

        Assert.Equal("carol", knownDuring.User);
        Assert.Equal(GatewayErrorKind.LimitsUnavailable, otherDuring.Error?.Kind);
    }

    /// <summary>How long a test waits for something the client does in the background: generous, as a loaded machine is slow.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static async Task<bool> Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }

    private sealed class CountingObserver : ILimitObserver
    {
        public int Outages;
        public int Errors;

        public void OnAdmission(AdmissionVerdict verdict)
        {
        }

        public void OnStoreError() => Interlocked.Increment(ref Errors);

        public void OnStoreOutage() => Interlocked.Increment(ref Outages);
    }
}
