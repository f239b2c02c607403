using AIBrix.Gateway.Core.Limits;
using StackExchange.Redis;

namespace AIBrix.Gateway.Redis.Tests;

/// <summary>A three-primary Redis Cluster shared by the cluster store tests (one collection: they run one after another).</summary>
public sealed class RedisClusterFixture : IAsyncLifetime, IRedisTarget
{
    public RedisCluster Cluster { get; private set; } = null!;

    public ConnectionMultiplexer Connection { get; private set; } = null!;

    IConnectionMultiplexer IRedisTarget.Connection => Connection;

    public Task<ConnectionMultiplexer> ConnectAnotherAsync() => RedisFixture.ConnectAsync(Cluster.Address, RedisFixture.PatientTimeout);

    public async Task InitializeAsync()
    {
        Cluster = await RedisCluster.StartAsync(primaries: 3);
        try
        {
            Connection = await ConnectAnotherAsync();
        }
        catch
        {
            await Cluster.DisposeAsync(); // xUnit does not dispose a fixture whose initialisation failed
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        await Connection.DisposeAsync();
        await Cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class RedisClusterCollection : ICollectionFixture<RedisClusterFixture>
{
    public const string Name = "redis-cluster";
}

/// <summary>Every limit-store test, on a Redis Cluster: a script whose keys spanned slots would fail with CROSSSLOT.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterLimitStoreTests(RedisClusterFixture cluster) : RedisLimitStoreContract(cluster);

/// <summary>Every user-store test, on a Redis Cluster.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterUserStoreTests(RedisClusterFixture cluster) : RedisUserStoreContract(cluster);

/// <summary>What only a cluster shows: users spread over every primary, each with every script.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterSpreadTests(RedisClusterFixture redis)
{
    [Fact]
    public async Task EveryScript_UsersOnEveryPrimary_NoCrossSlotAndLimitsHold()
    {
        var users = new RedisUserStore(redis.Connection);
        var store = new RedisLimitStore(redis.Connection);
        string model = RedisFixture.Unique("model");
        var names = Enumerable.Range(0, 24).Select(_ => RedisFixture.Unique("spread")).ToArray();
        var owners = new HashSet<int>();

        foreach (string name in names)
        {
            Assert.True(await users.CreateUserAsync(new UserRecord(name, 2, 1000)));
            Assert.True(await users.UpdateUserAsync(new UserRecord(name, 2, 1000)));
            var (key, _) = ApiKeys.Create(name, DateTimeOffset.UtcNow);
            await users.AddKeyAsync(key);
            Assert.Equal(key.User, (await users.FindKeyAsync(key.Id))?.User);
            Assert.Single(await users.ListKeysAsync(name));

            // The user's limits and the model's limit, on (often) different primaries; rpm 2 refuses the third.
            var request = new AdmissionRequest(Guid.NewGuid().ToString("N"), name, model, 1000, 400);
            var first = await store.AdmitAsync(request);
            await store.SettleAsync(new Settlement(request.ReservationId, name, 400, 10));
            var second = await store.AdmitAsync(new AdmissionRequest(Guid.NewGuid().ToString("N"), name, model, 1000, 400));
            var third = await store.AdmitAsync(new AdmissionRequest(Guid.NewGuid().ToString("N"), name, model, 1000, 1));
            Assert.Equal([AdmissionVerdict.Admitted, AdmissionVerdict.Admitted, AdmissionVerdict.UserRequests], [first.Verdict, second.Verdict, third.Verdict]);
            Assert.Equal(1000 - 10 - 400, second.TokensRemaining); // the settlement refunded 390

            owners.Add((await redis.Cluster.PrimaryForAsync(RedisKeys.User(name).ToString())).Port);
        }

        Assert.Equal(3, owners.Count); // the users really were spread over the three primaries
        var listed = (await users.ListUsersAsync()).Select(u => u.Name).ToHashSet();
        Assert.Superset(names.ToHashSet(), listed);

        foreach (string name in names)
        {
            Assert.True(await users.DeleteUserAsync(name));
            Assert.Empty(await users.ListKeysAsync(name));
        }
    }
}
