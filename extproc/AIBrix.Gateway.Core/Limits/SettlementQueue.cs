using System.Collections.Concurrent;

namespace AIBrix.Gateway.Core.Limits;

/// <summary>
/// Writes settlements in the background and never blocks the request path: a write that fails is queued
/// and retried every 200 ms until the store takes it (settlements are idempotent, so a retry can't
/// double-charge). One retry loop at most runs at a time. A release of a reservation that may not exist
/// (<see cref="Release"/>) is retried only until its window would have dropped it anyway.
/// </summary>
internal sealed class SettlementQueue(ILimitStore store, TimeProvider time, LimitStoreHealth health) : IDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);
    private readonly ConcurrentQueue<(Settlement Settlement, DateTimeOffset? Until)> _retry = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _retrying;

    /// <summary>Settlements waiting for the store to come back.</summary>
    public int Pending => _retry.Count;

    /// <summary>Writes <paramref name="settlement"/> now, or queues it for the retry loop.</summary>
    public void Enqueue(Settlement settlement) => _ = SettleOnceAsync(settlement, null);

    /// <summary>
    /// Writes <paramref name="settlement"/> in the background and retries it while the store is away, but for no longer
    /// than <paramref name="within"/>: for a reservation that may or may not have been recorded (an admission whose
    /// answer was lost), which the store drops with its window anyway.
    /// </summary>
    public void Release(Settlement settlement, TimeSpan within) => _ = SettleOnceAsync(settlement, time.GetUtcNow() + within);

    /// <summary>Stops the retry loop.</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task SettleOnceAsync(Settlement settlement, DateTimeOffset? until)
    {
        try
        {
            await store.SettleAsync(settlement, _stopping.Token);
            if (until is null)
            {
                health.Answered();
            }
        }
        catch (ObjectDisposedException) when (until is not null)
        {
            // shutting down: the store drops the entry with its window
        }
        catch (Exception e) when (e is LimitStoreUnavailableException or OperationCanceledException)
        {
            // A release (until set) follows an admission that already reported the failure; releases leave the
            // outage state to admissions and real settlements, so it never flips behind an admission's back.
            if (e is LimitStoreUnavailableException unavailable && until is null)
            {
                health.Failed(unavailable);
            }

            _retry.Enqueue((settlement, until));
            if (Interlocked.Exchange(ref _retrying, 1) == 0)
            {
                _ = RetryLoopAsync();
            }
        }
    }

    private async Task RetryLoopAsync()
    {
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                await Task.Delay(RetryDelay, time, _stopping.Token);
                while (_retry.TryPeek(out var next))
                {
                    if (next.Until is { } until && time.GetUtcNow() > until)
                    {
                        _retry.TryDequeue(out _); // its window is over: the store no longer holds it
                        continue;
                    }

                    try
                    {
                        await store.SettleAsync(next.Settlement, _stopping.Token);
                    }
                    catch (LimitStoreUnavailableException)
                    {
                        break; // still down: keep it, try again after the delay
                    }

                    _retry.TryDequeue(out _);
                    if (next.Until is null)
                    {
                        health.Answered();
                    }
                }

                if (_retry.IsEmpty)
                {
                    Volatile.Write(ref _retrying, 0);
                    // A settlement queued between the check and the reset would otherwise wait for the next failure.
                    if (_retry.IsEmpty || Interlocked.Exchange(ref _retrying, 1) != 0)
                    {
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // shutting down: what is still queued is lost with the process, as the reservations expire with their window
        }
    }
}
