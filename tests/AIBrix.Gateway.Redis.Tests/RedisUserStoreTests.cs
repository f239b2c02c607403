using AIBrix.Gateway.Core.Limits;

namespace AIBrix.Gateway.Redis.Tests;

/// <summary>On one redis-server.</summary>
public sealed class RedisUserStoreTests(RedisFixture redis) : RedisUserStoreContract(redis), IClassFixture<RedisFixture>;

/// <summary>The user store's behaviour, on whichever Redis the derived class gives (one server, a cluster).</summary>
public abstract class RedisUserStoreContract(IRedisTarget redis)
{
    [Fact]
    public async Task CreateUserAsync_Twice_SecondReturnsFalse()
    {
        var store = new RedisUserStore(redis.Connection);
        string name = RedisFixture.Unique("u");

        Assert.True(await store.CreateUserAsync(new UserRecord(name, 10, 20)));
        Assert.False(await store.CreateUserAsync(new UserRecord(name, 1, 2)));
        Assert.Equal(new UserRecord(name, 10, 20), await store.GetUserAsync(name));
    }

    [Fact]
    public async Task UpdateUserAsync_Missing_ReturnsFalseAndCreatesNothing()
    {
        var store = new RedisUserStore(redis.Connection);
        string name = RedisFixture.Unique("u");

        Assert.False(await store.UpdateUserAsync(new UserRecord(name, 1, 1)));
        Assert.Null(await store.GetUserAsync(name));
    }

    [Fact]
    public async Task Keys_StoredHashed_FoundListedAndRevoked()
    {
        var store = new RedisUserStore(redis.Connection);
        string name = RedisFixture.Unique("u");
        await store.CreateUserAsync(new UserRecord(name, 0, 0));
        var (record, key) = ApiKeys.Create(name, DateTimeOffset.UnixEpoch.AddDays(1));
        await store.AddKeyAsync(record);

        var stored = await redis.Connection.GetDatabase().HashGetAllAsync(RedisKeys.ApiKey(record.Id));
        Assert.DoesNotContain(stored, e => e.Value.ToString().Contains(key[^20..], StringComparison.Ordinal));
        Assert.True(ApiKeys.TryParse(key, out string id, out string secret));
        var found = await store.FindKeyAsync(id);
        Assert.NotNull(found);
        Assert.True(ApiKeys.Verify(found, secret));
        Assert.Single(await store.ListKeysAsync(name));

        Assert.False(await store.RevokeKeyAsync("someone-else", id));
        Assert.True(await store.RevokeKeyAsync(name, id));
        Assert.Null(await store.FindKeyAsync(id));
    }

    [Fact]
    public async Task DeleteUserAsync_RevokesItsKeys()
    {
        var store = new RedisUserStore(redis.Connection);
        string name = RedisFixture.Unique("u");
        await store.CreateUserAsync(new UserRecord(name, 0, 0));
        var (record, _) = ApiKeys.Create(name, DateTimeOffset.UnixEpoch);
        await store.AddKeyAsync(record);

        Assert.True(await store.DeleteUserAsync(name));

        Assert.Null(await store.FindKeyAsync(record.Id));
        Assert.DoesNotContain(await store.ListUsersAsync(), u => u.Name == name);
        Assert.False(await store.DeleteUserAsync(name));
    }
}
