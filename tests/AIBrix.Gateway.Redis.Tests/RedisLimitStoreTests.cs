using AIBrix.Gateway.Core.Limits;
using StackExchange.Redis;

namespace AIBrix.Gateway.Redis.Tests;

/// <summary>On one redis-server.</summary>
public sealed class RedisLimitStoreTests(RedisFixture redis) : RedisLimitStoreContract(redis), IClassFixture<RedisFixture>;

/// <summary>The limit store's behaviour, on whichever Redis the derived class gives (one server, a cluster).</summary>
public abstract class RedisLimitStoreContract(IRedisTarget redis)
{
    private async Task<string> UserAsync(long rpm, long tpm)
    {
        string name = RedisFixture.Unique("u");
        Assert.True(await new RedisUserStore(redis.Connection).CreateUserAsync(new UserRecord(name, rpm, tpm)));
        return name;
    }

    private static AdmissionRequest Request(string? user, long tokens, string model = "m", long rps = 0) =>
        new(Guid.NewGuid().ToString("N"), user, model, rps, tokens);

    [Fact]
    public async Task AdmitAsync_RpmReached_RefusesWithHeadersState()
    {
        string user = await UserAsync(rpm: 3, tpm: 0);
        var store = new RedisLimitStore(redis.Connection);

        var verdicts = new List<AdmissionDecision>();
        for (int i = 0; i < 4; i++)
        {
            verdicts.Add(await store.AdmitAsync(Request(user, 10)));
        }

        Assert.Equal([AdmissionVerdict.Admitted, AdmissionVerdict.Admitted, AdmissionVerdict.Admitted, AdmissionVerdict.UserRequests], verdicts.Select(v => v.Verdict));
        Assert.Equal(3, verdicts[3].RequestLimit);
        Assert.Equal(0, verdicts[3].RequestsRemaining);
        Assert.Equal(2, verdicts[0].RequestsRemaining);
        Assert.InRange(verdicts[3].RequestsReset, TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task AdmitAsync_TpmReservationDoesNotFit_Refuses()
    {
        string user = await UserAsync(rpm: 0, tpm: 1000);
        var store = new RedisLimitStore(redis.Connection);

        var first = await store.AdmitAsync(Request(user, 600));
        var second = await store.AdmitAsync(Request(user, 600));

        Assert.True(first.Admitted);
        Assert.Equal(400, first.TokensRemaining);
        Assert.Equal(AdmissionVerdict.UserTokens, second.Verdict);
    }

    [Fact]
    public async Task Limiter_ReservationLargerThanTheWholeTpm_SameNonRetryableErrorAsInMemory()
    {
        string user = await UserAsync(rpm: 0, tpm: 1000);
        using var limiter = new RequestLimiter(new RedisUserStore(redis.Connection), new RedisLimitStore(redis.Connection), AuthSettings.Default,
            LimitSettings.Default, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        var (reservation, error) = await limiter.AdmitAsync(user, "m", 1001);
        var (fits, none) = await limiter.AdmitAsync(user, "m", 1000);

        Assert.Null(reservation);
        Assert.Equal(AIBrix.Gateway.Core.Errors.GatewayErrorKind.TokensExceedLimit, error?.Kind);
        Assert.Equal(413, AIBrix.Gateway.Core.Errors.ErrorMapping.Shape(error!.Kind).StatusCode);
        Assert.DoesNotContain(error.Headers, h => h.Key == "retry-after");
        Assert.NotNull(fits);
        Assert.Null(none);
    }

    [Fact]
    public async Task SettleAsync_RefundsUnusedTokens_IdempotentOnRetry()
    {
        string user = await UserAsync(rpm: 0, tpm: 1000);
        var store = new RedisLimitStore(redis.Connection);
        var request = Request(user, 900);
        Assert.True((await store.AdmitAsync(request)).Admitted);

        var settlement = new Settlement(request.ReservationId, user, 900, 100);
        await store.SettleAsync(settlement);
        await store.SettleAsync(settlement); // a retried write must not refund twice

        var next = await store.AdmitAsync(Request(user, 900));
        Assert.True(next.Admitted);
        Assert.Equal(0, next.TokensRemaining);
        Assert.Equal(AdmissionVerdict.UserTokens, (await store.AdmitAsync(Request(user, 1))).Verdict);
    }

    [Fact]
    public async Task GetUsageAsync_CountsEveryStoresAdmissionsAndSettlements_NotRefusals()
    {
        string user = await UserAsync(rpm: 0, tpm: 1000);
        var replicaA = new RedisLimitStore(redis.Connection);
        var replicaB = new RedisLimitStore(redis.Connection);
        var first = Request(user, 300);
        Assert.True((await replicaA.AdmitAsync(first)).Admitted);
        Assert.True((await replicaA.AdmitAsync(Request(user, 300))).Admitted);
        Assert.True((await replicaB.AdmitAsync(Request(user, 300))).Admitted);
        await replicaA.SettleAsync(new Settlement(first.ReservationId, user, 300, 50)); // 250 given back
        Assert.Equal(AdmissionVerdict.UserTokens, (await replicaB.AdmitAsync(Request(user, 500))).Verdict);

        var usage = await replicaB.GetUsageAsync(user);

        Assert.Equal(new UserUsage(3, 650), usage);
        Assert.Equal(default, await replicaA.GetUsageAsync("nobody-" + Guid.NewGuid().ToString("N")));
    }

    [Fact]
    public async Task AdmitAsync_UnknownUser_IsRefusedAsUnknown()
    {
        var store = new RedisLimitStore(redis.Connection);

        var decision = await store.AdmitAsync(Request("nobody-" + Guid.NewGuid().ToString("N"), 1));

        Assert.Equal(AdmissionVerdict.UnknownUser, decision.Verdict);
    }

    [Fact]
    public async Task AdmitAsync_ModelRps_CountsAnonymousRequests()
    {
        var store = new RedisLimitStore(redis.Connection);
        string model = RedisFixture.Unique("model");

        var verdicts = new List<AdmissionVerdict>();
        for (int i = 0; i < 3; i++)
        {
            verdicts.Add((await store.AdmitAsync(Request(null, 1, model, rps: 2))).Verdict);
        }

        Assert.Equal([AdmissionVerdict.Admitted, AdmissionVerdict.Admitted, AdmissionVerdict.ModelRequests], verdicts);
    }

    [Fact]
    public async Task AdmitAsync_ThreeConnectionsConcurrently_NeverAdmitPastTheLimit()
    {
        string user = await UserAsync(rpm: 50, tpm: 100_000);
        var connections = new List<ConnectionMultiplexer>();
        for (int i = 0; i < 3; i++)
        {
            connections.Add(await redis.ConnectAnotherAsync());
        }

        try
        {
            var stores = connections.Select(c => new RedisLimitStore(c)).ToArray();
            var tasks = Enumerable.Range(0, 150).Select(i => Task.Run(async () => (await stores[i % 3].AdmitAsync(Request(user, 1000))).Admitted));

            bool[] admitted = await Task.WhenAll(tasks);

            Assert.Equal(50, admitted.Count(a => a));
        }
        finally
        {
            foreach (var c in connections)
            {
                await c.DisposeAsync();
            }
        }
    }
}
