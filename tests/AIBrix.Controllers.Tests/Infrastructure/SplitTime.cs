using Microsoft.Extensions.Time.Testing;

namespace AIBrix.Controllers.Tests.Infrastructure;

/// <summary>
/// A clock for controllers under test: the time and long waits (minReadySeconds, the grace period, the progress
/// deadline) are the fake clock's and move when the test advances it; short waits (retry backoff after a 409, an
/// immediate requeue) run on real time, so optimistic-concurrency retries need no help from the test.
/// </summary>
internal sealed class SplitTime(FakeTimeProvider fake) : TimeProvider
{
    /// <summary>Waits shorter than this run on real time.</summary>
    public static readonly TimeSpan ShortWait = TimeSpan.FromSeconds(1);

    public override DateTimeOffset GetUtcNow() => fake.GetUtcNow();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        dueTime < ShortWait && dueTime != Timeout.InfiniteTimeSpan
            ? System.CreateTimer(callback, state, dueTime, period)
            : fake.CreateTimer(callback, state, dueTime, period);
}
