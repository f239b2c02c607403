namespace AIBrix.Gateway.Core.Limits;

/// <summary>
/// Users and their API keys. Implementations: <see cref="InMemoryUserStore"/> (one replica) and the
/// Redis store (shared). Store failures surface as <see cref="LimitStoreUnavailableException"/>.
/// </summary>
public interface IUserStore
{
    /// <summary>The user, or null.</summary>
    ValueTask<UserRecord?> GetUserAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every user, by name.</summary>
    ValueTask<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates the user; false when one with that name exists.</summary>
    ValueTask<bool> CreateUserAsync(UserRecord user, CancellationToken cancellationToken = default);

    /// <summary>Replaces an existing user's budgets; false when there is no such user.</summary>
    ValueTask<bool> UpdateUserAsync(UserRecord user, CancellationToken cancellationToken = default);

    /// <summary>Deletes the user and revokes its keys; false when there was no such user.</summary>
    ValueTask<bool> DeleteUserAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Stores a new key record.</summary>
    ValueTask AddKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken = default);

    /// <summary>The key with that id, or null (revoked or never made).</summary>
    ValueTask<ApiKeyRecord?> FindKeyAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The user's keys.</summary>
    ValueTask<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(string user, CancellationToken cancellationToken = default);

    /// <summary>Revokes a key of the user; false when the user has no such key.</summary>
    ValueTask<bool> RevokeKeyAsync(string user, string id, CancellationToken cancellationToken = default);
}
