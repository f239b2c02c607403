using System.Diagnostics;
using AIBrix.Gateway.Core.Errors;
using AIBrix.Gateway.Core.Limits;
using AIBrix.Redis;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace AIBrix.Gateway.Redis.Tests;

/// <summary>
/// A primary killed under two limiters sharing one client, one failing open and one failing closed: while no
/// primary holds the user's slot each answers as configured, and once a replica is promoted both enforce the
/// user's limit again, counting what was admitted before the failover (it was replicated), never admitting past it.
/// </summary>
public sealed class RedisFailoverTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Rpm = 10;

    [Fact]
    public async Task Cluster_PrimaryKilled_OutageAsConfiguredThenReplicaEnforcesTheSameWindow()
    {
        await using var cluster = await RedisCluster.StartAsync(primaries: 3, replicasPerPrimary: 1);
        await using var connection = await RedisFixture.ConnectAsync(cluster.Address);
        string user = RedisFixture.Unique("failover");

        var elapsed = await KillPrimaryUnderLimitersAsync(connection, user,
            async () =>
            {
                var primary = await cluster.PrimaryForAsync(RedisKeys.User(user).ToString());
                await RedisCli.WaitUntilAsync(() => RedisCluster.InSyncAsync(primary), "replication", TimeSpan.FromSeconds(10));
                await primary.KillAsync();
            });

        output.WriteLine($"cluster: first admission on the promoted replica {elapsed.TotalMilliseconds:0} ms after the kill");
        await cluster.WaitHealthyAsync(TimeSpan.FromSeconds(10));
        // Readiness's view: every primary answers again (the dead one no longer counts as one).
        await RedisCli.WaitUntilAsync(() => RedisConnector.PrimaryAnswersAsync(connection), "readiness did not see the promoted primary", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Sentinel_PrimaryKilled_ReplicaPromotedStoreReconnectsLimitsKeepWorking()
    {
        await using var group = await RedisSentinels.StartAsync();
        await using var connection = await RedisFixture.ConnectAsync(group.Address);
        Assert.Equal(group.Primary.Port, await group.AnnouncedPrimaryPortAsync());
        string user = RedisFixture.Unique("sentinel");

        var elapsed = await KillPrimaryUnderLimitersAsync(connection, user,
            async () =>
            {
                await RedisCli.WaitUntilAsync(() => RedisCluster.InSyncAsync(group.Primary), "replication", TimeSpan.FromSeconds(10));
                await group.Primary.KillAsync();
            });

        output.WriteLine($"sentinel: first admission on the promoted replica {elapsed.TotalMilliseconds:0} ms after the kill");
        // The sentinel that led the failover announces at once; the other learns it from the new primary's hellos.
        await RedisCli.WaitUntilAsync(async () => await group.AnnouncedPrimaryPortAsync() == group.Replica.Port,
            "the sentinels did not announce the promoted replica", TimeSpan.FromSeconds(10));
        Assert.True(await RedisConnector.PrimaryAnswersAsync(connection));
    }

    /// <summary>
    /// Admits <see cref="Rpm"/> / 2 requests, kills the user's primary (<paramref name="kill"/>), then keeps asking both
    /// limiters until the closed one admits again; then fills the window. Returns the time from the kill to that admission.
    /// </summary>
    private static async Task<TimeSpan> KillPrimaryUnderLimitersAsync(IConnectionMultiplexer connection, string user, Func<Task> kill)
    {
        var users = new RedisUserStore(connection);
        Assert.True(await users.CreateUserAsync(new UserRecord(user, Rpm, 0)));
        var store = new RedisLimitStore(connection);
        using var open = Limiter(users, store, LimitFailureMode.Open);
        using var closed = Limiter(users, store, LimitFailureMode.Closed);
        int admitted = 0;
        for (int i = 0; i < Rpm / 2; i++)
        {
            Assert.Null((await closed.AdmitAsync(user, "m", 1)).Error);
            admitted++;
        }

        await kill();
        var clock = Stopwatch.StartNew();
        bool openAdmittedInOutage = false, closedRefusedInOutage = false;
        while (true)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(45), "no primary took the user's slot within 45 s");
            var byOpen = await open.AdmitAsync(user, "m", 1);
            if (open.InOutage)
            {
                Assert.Null(byOpen.Error); // fail open: admitted without limits, not counted
                openAdmittedInOutage = true;
            }
            else if (byOpen.Error is null)
            {
                admitted++; // counted by the new primary
            }

            var byClosed = await closed.AdmitAsync(user, "m", 1);
            if (byClosed.Error is null)
            {
                admitted++;
                break;
            }

            Assert.Equal(GatewayErrorKind.LimitsUnavailable, byClosed.Error.Kind); // fail closed: 503, never a guess
            closedRefusedInOutage = true;
            await Task.Delay(20);
        }

        var elapsed = clock.Elapsed;
        Assert.True(openAdmittedInOutage && closedRefusedInOutage, "the kill caused no outage at all");

        // The promoted replica holds the window as it was (the admissions before the kill were replicated): had it
        // lost them, a whole limit's worth would pass now. A call that timed out while the client switched may still
        // have run, so the window can hold a little more than was admitted: that errs toward refusing, never past the limit.
        while ((await closed.AdmitAsync(user, "m", 1)).Error is null)
        {
            admitted++;
            Assert.True(admitted <= Rpm, $"admitted {admitted} of a {Rpm} rpm limit");
        }

        Assert.InRange(admitted, (Rpm / 2) + 1, Rpm);
        // The open limiter enforces the same full window (retried: on a loaded machine one call can miss the 1 s
        // timeout, and failing open then is what it is configured to do).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        GatewayErrorKind? openVerdict;
        while ((openVerdict = (await open.AdmitAsync(user, "m", 1)).Error?.Kind) != GatewayErrorKind.RequestRateLimited && DateTime.UtcNow < deadline)
        {
            Assert.True(open.InOutage, "the open limiter admitted past a full window while Redis answered");
            await Task.Delay(50);
        }

        Assert.Equal(GatewayErrorKind.RequestRateLimited, openVerdict);
        return elapsed;
    }

    private static RequestLimiter Limiter(IUserStore users, ILimitStore store, LimitFailureMode mode) =>
        new(users, store, AuthSettings.Default, new LimitSettings { FailureMode = mode }, TimeProvider.System, NullLogger.Instance);
}
