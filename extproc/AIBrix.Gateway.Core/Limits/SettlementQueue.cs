using System.Collections.Concurrent;

namespace AIBrix.Gateway.Core.Limits;

/// <summary>
/// Writes settlements in the background and never blocks the request path: a write that fails is queued
/// and retried every 200 ms until the store takes it (settlements are idempotent, so a retry can't
/// double-charge). One retry loop at most runs at a time.
/// </summary>
internal sealed class SettlementQueue(ILimitStore store, TimeProvider time, LimitStoreHealth health) : IDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);
    private readonly ConcurrentQueue<Settlement> _retry = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _retrying;

    /// <summary>Settlements waiting for the store to come back.</summary>
    public int Pending => _retry.Count;

    /// <summary>Writes <paramref name="settlement"/> now, or queues it for the retry loop.</summary>
    public void Enqueue(Settlement settlement) => _ = SettleOnceAsync(settlement);

    /// <summary>Writes <paramref name="settlement"/> once in the background; a failure is dropped, not retried.</summary>
    public void TryOnce(Settlement settlement) => _ = TryOnceAsync(settlement);

    private async Task TryOnceAsync(Settlement settlement)
    {
        try
        {
            await store.SettleAsync(settlement, _stopping.Token);
        }
        catch (Exception e) when (e is LimitStoreUnavailableException or OperationCanceledException or ObjectDisposedException)
        {
            // nothing was recorded, or the store will drop the entry with its window
        }
    }

    /// <summary>Stops the retry loop.</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task SettleOnceAsync(Settlement settlement)
    {
        try
        {
            await store.SettleAsync(settlement, _stopping.Token);
            health.Answered();
        }
        catch (Exception e) when (e is LimitStoreUnavailableException or OperationCanceledException)
        {
            if (e is LimitStoreUnavailableException unavailable)
            {
                health.Failed(unavailable);
            }

            _retry.Enqueue(settlement);
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
                    try
                    {
                        await store.SettleAsync(next, _stopping.Token);
                    }
                    catch (LimitStoreUnavailableException)
                    {
                        break; // still down: keep it, try again after the delay
                    }

                    _retry.TryDequeue(out _);
                    health.Answered();
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
