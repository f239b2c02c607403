namespace AIBrix.Gateway.Core.Limits;

/// <summary>A user's usage in the current one-minute window: admitted requests, and tokens reserved or charged.</summary>
/// <param name="Requests">Requests admitted in the last 60 s (what the RPM limit counts).</param>
/// <param name="Tokens">Tokens held in the last 60 s: reservations not yet settled plus settled charges (what the TPM limit counts).</param>
public readonly record struct UserUsage(long Requests, long Tokens);

/// <summary>
/// Reads a user's current window without changing it, as the limit checks would count it. The shared store answers
/// for every replica together; that is what the operator page's users view shows. Failures to reach the store throw
/// <see cref="LimitStoreUnavailableException"/>.
/// </summary>
public interface ILimitUsageReader
{
    /// <summary>The user's usage in the current window (zero for a user with no traffic or unknown to the store).</summary>
    ValueTask<UserUsage> GetUsageAsync(string user, CancellationToken cancellationToken = default);
}
