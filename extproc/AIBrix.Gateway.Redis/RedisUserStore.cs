using AIBrix.Gateway.Core.Limits;
using StackExchange.Redis;

namespace AIBrix.Gateway.Redis;

/// <summary>
/// Users (a hash per user with <c>rpm</c> and <c>tpm</c>, names in a set) and API keys (a hash per key
/// id with the user, prefix, salt and salted hash; a user's key ids in a set). Every script and
/// transaction touches one hash slot, so all of this works on a Redis Cluster: a user's hash and key set
/// share the tag <c>{u:name}</c>, while the set of names and each key's hash (found by the id alone, from
/// the bearer token) live in their own slots. Changes that span slots are ordered so that a replica dying
/// half-way leaves nothing that grants more than intended: a key is listed before it works and stops
/// working before it is unlisted; a user is named in the set once its hash exists, and a deleted
/// user's keys are revoked before the user goes. Listings skip names whose records are gone.
/// </summary>
public sealed class RedisUserStore(IConnectionMultiplexer redis) : IUserStore
{
    private const string CreateScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('HSET', KEYS[1], 'rpm', ARGV[1], 'tpm', ARGV[2])
        return 1
        """;

    private const string UpdateScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('HSET', KEYS[1], 'rpm', ARGV[1], 'tpm', ARGV[2])
        return 1
        """;

    // KEYS (the user's slot): user, user's key set.
    private const string DeleteScript = """
        local existed = redis.call('DEL', KEYS[1])
        redis.call('DEL', KEYS[2])
        return existed
        """;

    // KEYS (the key's slot): key hash. Deletes it only if it belongs to ARGV[1].
    private const string RevokeScript = """
        if redis.call('HGET', KEYS[1], 'user') ~= ARGV[1] then return 0 end
        redis.call('DEL', KEYS[1])
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
        var result = await RedisCalls.Guard(Db.ScriptEvaluateAsync(CreateScript, [RedisKeys.User(user.Name)], [user.Rpm, user.Tpm]));
        // Added even when the user already existed: it repairs a name left out by a replica that died in between.
        await RedisCalls.Guard(Db.SetAddAsync(RedisKeys.Users, user.Name));
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
        var ids = await RedisCalls.Guard(Db.SetMembersAsync(RedisKeys.UserKeys(name)));
        foreach (var id in ids)
        {
            await RedisCalls.Guard(Db.ScriptEvaluateAsync(RevokeScript, [RedisKeys.ApiKey(id.ToString())], [name]));
        }

        var result = await RedisCalls.Guard(Db.ScriptEvaluateAsync(DeleteScript, [RedisKeys.User(name), RedisKeys.UserKeys(name)]));
        await RedisCalls.Guard(Db.SetRemoveAsync(RedisKeys.Users, name));
        return (long)result == 1;
    }

    /// <inheritdoc/>
    public async ValueTask AddKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        // Listed first: a key that works is always one that the user's listing shows and user deletion revokes.
        await RedisCalls.Guard(Db.SetAddAsync(RedisKeys.UserKeys(key.User), key.Id));
        await RedisCalls.Guard(Db.HashSetAsync(RedisKeys.ApiKey(key.Id),
        [
            new("user", key.User),
            new("prefix", key.Prefix),
            new("salt", Convert.ToBase64String(key.Salt)),
            new("hash", Convert.ToBase64String(key.Hash)),
            new("created", key.CreatedAt.ToUnixTimeMilliseconds()),
        ]));
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
        var result = await RedisCalls.Guard(Db.ScriptEvaluateAsync(RevokeScript, [RedisKeys.ApiKey(id)], [user]));
        if ((long)result != 1)
        {
            return false;
        }

        await RedisCalls.Guard(Db.SetRemoveAsync(RedisKeys.UserKeys(user), id));
        return true;
    }
}
