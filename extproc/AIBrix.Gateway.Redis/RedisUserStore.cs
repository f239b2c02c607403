using AIBrix.Gateway.Core.Limits;
using StackExchange.Redis;

namespace AIBrix.Gateway.Redis;

/// <summary>
/// Users (a hash per user with <c>rpm</c> and <c>tpm</c>, names in a set) and API keys (a hash per key
/// id with the user, prefix, salt and salted hash; a user's key ids in a set). Create, update and
/// delete are scripts, so "exists" checks and writes can't interleave with another replica's.
/// </summary>
public sealed class RedisUserStore(IConnectionMultiplexer redis) : IUserStore
{
    private const string CreateScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('HSET', KEYS[1], 'rpm', ARGV[2], 'tpm', ARGV[3])
        redis.call('SADD', KEYS[2], ARGV[1])
        return 1
        """;

    private const string UpdateScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('HSET', KEYS[1], 'rpm', ARGV[1], 'tpm', ARGV[2])
        return 1
        """;

    // KEYS: user, users set, user's key set. Key hashes are named from the set's members.
    private const string DeleteScript = """
        local existed = redis.call('DEL', KEYS[1])
        redis.call('SREM', KEYS[2], ARGV[1])
        for _, id in ipairs(redis.call('SMEMBERS', KEYS[3])) do redis.call('DEL', 'aibrix:key:' .. id) end
        redis.call('DEL', KEYS[3])
        return existed
        """;

    private const string RevokeScript = """
        if redis.call('HGET', KEYS[1], 'user') ~= ARGV[1] then return 0 end
        redis.call('DEL', KEYS[1])
        redis.call('SREM', KEYS[2], ARGV[2])
        return 1
        """;

    private IDatabase Db => redis.GetDatabase();

    /// <inheritdoc/>
    public async ValueTask<UserRecord?> GetUserAsync(string name, CancellationToken cancellationToken = default)
    {
        var values = await RedisCalls.Guard(Db.HashGetAsync(RedisKeys.User(name), ["rpm", "tpm"]));
        return values[0].IsNull && values[1].IsNull ? null : new UserRecord(name, (long?)values[0] ?? 0, (long?)values[1] ?? 0);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken cancellationToken = default)
    {
        var names = await RedisCalls.Guard(Db.SetMembersAsync(RedisKeys.Users));
        var users = new List<UserRecord>(names.Length);
        foreach (var name in names.Select(n => n.ToString()).Order(StringComparer.Ordinal))
        {
            if (await GetUserAsync(name, cancellationToken) is { } user)
            {
                users.Add(user);
            }
        }

        return users;
    }

    /// <inheritdoc/>
    public async ValueTask<bool> CreateUserAsync(UserRecord user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var result = await RedisCalls.Guard(Db.ScriptEvaluateAsync(CreateScript, [RedisKeys.User(user.Name), RedisKeys.Users], [user.Name, user.Rpm, user.Tpm]));
        return (long)result == 1;
    }

    /// <inheritdoc/>
    public async ValueTask<bool> UpdateUserAsync(UserRecord user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var result = await RedisCalls.Guard(Db.ScriptEvaluateAsync(UpdateScript, [RedisKeys.User(user.Name)], [user.Rpm, user.Tpm]));
        return (long)result == 1;
    }

    /// <inheritdoc/>
    public async ValueTask<bool> DeleteUserAsync(string name, CancellationToken cancellationToken = default)
    {
        var result = await RedisCalls.Guard(Db.ScriptEvaluateAsync(DeleteScript, [RedisKeys.User(name), RedisKeys.Users, RedisKeys.UserKeys(name)], [name]));
        return (long)result == 1;
    }

    /// <inheritdoc/>
    public async ValueTask AddKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var batch = Db.CreateTransaction();
        _ = batch.HashSetAsync(RedisKeys.ApiKey(key.Id),
        [
            new("user", key.User),
            new("prefix", key.Prefix),
            new("salt", Convert.ToBase64String(key.Salt)),
            new("hash", Convert.ToBase64String(key.Hash)),
            new("created", key.CreatedAt.ToUnixTimeMilliseconds()),
        ]);
        _ = batch.SetAddAsync(RedisKeys.UserKeys(key.User), key.Id);
        await RedisCalls.Guard(batch.ExecuteAsync());
    }

    /// <inheritdoc/>
    public async ValueTask<ApiKeyRecord?> FindKeyAsync(string id, CancellationToken cancellationToken = default)
    {
        var v = await RedisCalls.Guard(Db.HashGetAsync(RedisKeys.ApiKey(id), ["user", "prefix", "salt", "hash", "created"]));
        if (v[0].IsNull || v[2].IsNull || v[3].IsNull)
        {
            return null;
        }

        return new ApiKeyRecord(id, v[0]!, v[1].ToString(), Convert.FromBase64String(v[2]!), Convert.FromBase64String(v[3]!),
            DateTimeOffset.FromUnixTimeMilliseconds((long?)v[4] ?? 0));
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(string user, CancellationToken cancellationToken = default)
    {
        var ids = await RedisCalls.Guard(Db.SetMembersAsync(RedisKeys.UserKeys(user)));
        var keys = new List<ApiKeyRecord>(ids.Length);
        foreach (var id in ids)
        {
            if (await FindKeyAsync(id.ToString(), cancellationToken) is { } key)
            {
                keys.Add(key);
            }
        }

        return keys.OrderBy(k => k.CreatedAt).ToArray();
    }

    /// <inheritdoc/>
    public async ValueTask<bool> RevokeKeyAsync(string user, string id, CancellationToken cancellationToken = default)
    {
        var result = await RedisCalls.Guard(Db.ScriptEvaluateAsync(RevokeScript, [RedisKeys.ApiKey(id), RedisKeys.UserKeys(user)], [user, id]));
        return (long)result == 1;
    }
}
