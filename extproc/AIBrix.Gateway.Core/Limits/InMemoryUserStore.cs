using System.Collections.Concurrent;

namespace AIBrix.Gateway.Core.Limits;

/// <summary>Users and keys in this process: the embedded default when no Redis is configured.</summary>
public sealed class InMemoryUserStore : IUserStore
{
    private readonly ConcurrentDictionary<string, UserRecord> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ApiKeyRecord> _keys = new(StringComparer.Ordinal);

    /// <summary>The user, without the async wrapper (the in-memory limit store reads budgets here).</summary>
    public UserRecord? Find(string name) => _users.GetValueOrDefault(name);

    /// <inheritdoc/>
    public ValueTask<UserRecord?> GetUserAsync(string name, CancellationToken cancellationToken = default) => new(Find(name));

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken cancellationToken = default) =>
        new(_users.Values.OrderBy(u => u.Name, StringComparer.Ordinal).ToArray());

    /// <inheritdoc/>
    public ValueTask<bool> CreateUserAsync(UserRecord user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new(_users.TryAdd(user.Name, user));
    }

    /// <inheritdoc/>
    public ValueTask<bool> UpdateUserAsync(UserRecord user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        while (_users.TryGetValue(user.Name, out var current))
        {
            if (_users.TryUpdate(user.Name, user, current))
            {
                return new(true);
            }
        }

        return new(false);
    }

    /// <inheritdoc/>
    public ValueTask<bool> DeleteUserAsync(string name, CancellationToken cancellationToken = default)
    {
        bool removed = _users.TryRemove(name, out _);
        foreach (var key in _keys.Values.Where(k => k.User == name))
        {
            _keys.TryRemove(key.Id, out _);
        }

        return new(removed);
    }

    /// <inheritdoc/>
    public ValueTask AddKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        _keys[key.Id] = key;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<ApiKeyRecord?> FindKeyAsync(string id, CancellationToken cancellationToken = default) => new(_keys.GetValueOrDefault(id));

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(string user, CancellationToken cancellationToken = default) =>
        new(_keys.Values.Where(k => k.User == user).OrderBy(k => k.CreatedAt).ToArray());

    /// <inheritdoc/>
    public ValueTask<bool> RevokeKeyAsync(string user, string id, CancellationToken cancellationToken = default) =>
        new(_keys.TryGetValue(id, out var key) && key.User == user && _keys.TryRemove(id, out _));
}
