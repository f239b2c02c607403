namespace AIBrix.RequestTraces;

/// <summary>
/// The gateway's load monitor loop: at the end of every interval (aligned to the wall clock, so every gateway replica
/// writes the same keys), drains the <see cref="RequestTraceRecorder"/> and writes each model's trace under the
/// interval's start. Replicas write the same key; like AIBrix's gateway, the last write wins, so run it where one
/// replica sees the traffic or accept a per-replica sample.
/// </summary>
public sealed class RequestTracePublisher(RequestTraceRecorder recorder, RedisRequestTraceStore store, TimeProvider time, TimeSpan interval)
{
    /// <summary>Interval length; at least one second, whole seconds.</summary>
    public TimeSpan Interval { get; } = interval >= TimeSpan.FromSeconds(1) && interval.Ticks % TimeSpan.TicksPerSecond == 0
        ? interval
        : throw new ArgumentOutOfRangeException(nameof(interval), interval, "the interval must be a whole number of seconds, at least 1");

    /// <summary>The start of the interval <paramref name="now"/> falls in.</summary>
    public DateTimeOffset IntervalStart(DateTimeOffset now)
    {
        long step = (long)Interval.TotalSeconds;
        return DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / step * step);
    }

    /// <summary>Writes the traces of the interval that started at <paramref name="start"/>; returns how many models had one.</summary>
    public async Task<int> PublishAsync(DateTimeOffset start)
    {
        var traces = recorder.Drain((int)Interval.TotalSeconds);
        foreach (var (model, trace) in traces)
        {
            await store.WriteAsync(model, start, trace).ConfigureAwait(false);
        }

        return traces.Count;
    }

    /// <summary>Publishes at every interval boundary until cancelled; a failed write is reported and the loop goes on.</summary>
    public async Task RunAsync(Action<Exception>? onError, CancellationToken cancellationToken)
    {
        var start = IntervalStart(time.GetUtcNow());
        while (!cancellationToken.IsCancellationRequested)
        {
            var next = start + Interval;
            var wait = next - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            try
            {
                await PublishAsync(start).ConfigureAwait(false);
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
            {
                onError?.Invoke(e);
            }

            start = next;
        }
    }
}
