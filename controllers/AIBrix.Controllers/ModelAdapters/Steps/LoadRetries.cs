using System.Collections.Concurrent;
using AIBrix.Kubernetes.Runtime;

namespace AIBrix.Controllers.ModelAdapters.Steps;

/// <summary>
/// Failed load attempts per adapter key and when the next may run. In memory: after a restart or a change of leader
/// the count starts again, which only costs a few more tries of an idempotent load.
/// </summary>
internal sealed class LoadRetries(Backoff delay)
{
    private readonly ConcurrentDictionary<string, (int Attempts, DateTimeOffset NotBefore)> _attempts = new(StringComparer.Ordinal);

    /// <summary>True while <paramref name="key"/> backs off at <paramref name="now"/>; <paramref name="remaining"/> is how long.</summary>
    public bool IsWaiting(string key, DateTimeOffset now, out TimeSpan remaining)
    {
        bool waiting = _attempts.TryGetValue(key, out var retry) && now < retry.NotBefore;
        remaining = waiting ? retry.NotBefore - now : TimeSpan.Zero;
        return waiting;
    }

    /// <summary>Counts a failed attempt at <paramref name="now"/> and starts its backoff; returns the attempt number (1-based).</summary>
    public int Fail(string key, DateTimeOffset now)
    {
        int attempt = (_attempts.TryGetValue(key, out var before) ? before.Attempts : 0) + 1;
        _attempts[key] = (attempt, now + delay.Delay(attempt));
        return attempt;
    }

    /// <summary>Forgets <paramref name="key"/>: it loaded, gave up, or is gone.</summary>
    public void Forget(string key) => _attempts.TryRemove(key, out _);
}
