using System.Collections.Concurrent;
using AIBrix.Gateway.Core.Errors;

namespace AIBrix.Gateway.Core.Limits;

/// <summary>A key record as the store returned it, and when (UTC ticks).</summary>
internal sealed record VerifiedKey(ApiKeyRecord Record, long VerifiedAt);

/// <summary>
/// Checks presented API keys against the user store, with a bounded per-replica cache of verified keys
/// (<c>auth.keyCacheTtlSeconds</c>) that also carries known users through a store outage
/// (<c>auth.keyStaleIfErrorSeconds</c>).
/// </summary>
internal sealed class ApiKeyAuthenticator(IUserStore users, AuthSettings auth, TimeProvider time, LimitStoreHealth health)
{
    private const int MaxCachedKeys = 100_000;
    private readonly ConcurrentDictionary<string, VerifiedKey> _keys = new(StringComparer.Ordinal);

    /// <summary>Checks a presented key (the value of an <c>Authorization</c> header).</summary>
    public async ValueTask<AuthResult> AuthenticateAsync(string? authorization, CancellationToken cancellationToken)
    {
        string? key = ApiKeys.FromAuthorization(authorization);
        if (key is null)
        {
            return new(null, GatewayError.InvalidApiKey("You didn't provide an API key. Send it as 'Authorization: Bearer <key>'."));
        }

        if (!ApiKeys.TryParse(key, out string id, out string secret))
        {
            return IncorrectKey();
        }

        long now = time.GetUtcNow().UtcTicks;
        if (_keys.TryGetValue(id, out var cached) && now - cached.VerifiedAt < auth.KeyCacheTtl.Ticks)
        {
            return Check(cached.Record, secret);
        }

        ApiKeyRecord? record;
        try
        {
            record = await users.FindKeyAsync(id, cancellationToken);
            health.Answered();
        }
        catch (LimitStoreUnavailableException e)
        {
            health.Failed(e);
            // A key can't be verified without the store. One verified a short while ago is still taken
            // (auth.keyStaleIfErrorSeconds), so an outage does not lock out every known user; any other
            // is refused, whatever the failure mode.
            if (cached is not null && now - cached.VerifiedAt < auth.KeyStaleIfError.Ticks)
            {
                return Check(cached.Record, secret);
            }

            return new(null, GatewayError.LimitsUnavailable());
        }

        if (record is null)
        {
            _keys.TryRemove(id, out _);
            return IncorrectKey();
        }

        var result = Check(record, secret);
        if (result.Error is null && (auth.KeyCacheTtl > TimeSpan.Zero || auth.KeyStaleIfError > TimeSpan.Zero))
        {
            if (_keys.Count >= MaxCachedKeys)
            {
                _keys.Clear(); // bounded: a flood of distinct keys can't grow it without limit
            }

            _keys[id] = new VerifiedKey(record, now);
        }

        return result;
    }

    /// <summary>Drops a key from this replica's cache (it was revoked here).</summary>
    public void ForgetKey(string id) => _keys.TryRemove(id, out _);

    /// <summary>Drops every cached key of <paramref name="user"/> (the user was deleted here).</summary>
    public void ForgetUser(string user)
    {
        foreach (var (id, key) in _keys)
        {
            if (key.Record.User == user)
            {
                _keys.TryRemove(id, out _);
            }
        }
    }

    private static AuthResult Check(ApiKeyRecord record, string secret) =>
        ApiKeys.Verify(record, secret) ? new(record.User, null) : IncorrectKey();

    private static AuthResult IncorrectKey() => new(null, GatewayError.InvalidApiKey("Incorrect API key provided."));
}
