using System.Threading.Channels;

namespace AIBrix.Kubernetes.Runtime;

/// <summary>
/// A work queue of object keys in the style of client-go's: a key added many times before a worker takes it is
/// processed once (coalescing); a key is never processed by two workers at once (added while in flight, it is
/// queued again when <see cref="Done"/> is called); failures back off per key until <see cref="Forget"/>.
/// </summary>
public sealed class WorkQueue : IDisposable
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly HashSet<string> _processing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ITimer> _delayed = new(StringComparer.Ordinal);
    private readonly Channel<string> _ready = Channel.CreateUnbounded<string>();
    private readonly Backoff _backoff;
    private readonly TimeProvider _time;
    private long _adds;

    /// <summary>Creates a queue; <paramref name="backoff"/> spaces retries of a failing key.</summary>
    public WorkQueue(Backoff? backoff = null, TimeProvider? time = null)
    {
        _backoff = backoff ?? new Backoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(300));
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Keys waiting (not in flight).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _dirty.Count(k => !_processing.Contains(k));
            }
        }
    }

    /// <summary>Keys waiting for their <see cref="AddAfter"/> delay to pass.</summary>
    public int Delayed
    {
        get
        {
            lock (_lock)
            {
                return _delayed.Count;
            }
        }
    }

    /// <summary>Calls to <see cref="Add"/> so far, coalesced or not.</summary>
    public long Adds => Interlocked.Read(ref _adds);

    /// <summary>Queues <paramref name="key"/> unless it is already waiting.</summary>
    public void Add(string key)
    {
        Interlocked.Increment(ref _adds);
        lock (_lock)
        {
            if (!_dirty.Add(key) || _processing.Contains(key))
            {
                return; // already waiting, or will be re-queued by Done
            }
        }

        _ready.Writer.TryWrite(key);
    }

    /// <summary>Queues <paramref name="key"/> after <paramref name="delay"/>; a sooner pending delay wins.</summary>
    public void AddAfter(string key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        lock (_lock)
        {
            if (_delayed.ContainsKey(key))
            {
                return;
            }

            ITimer? timer = null;
            timer = _time.CreateTimer(
                _ =>
                {
                    lock (_lock)
                    {
                        if (_delayed.TryGetValue(key, out var t) && ReferenceEquals(t, timer))
                        {
                            _delayed.Remove(key);
                        }
                    }

                    timer?.Dispose();
                    Add(key);
                },
                null,
                delay,
                Timeout.InfiniteTimeSpan);
            _delayed[key] = timer;
        }
    }

    /// <summary>Queues <paramref name="key"/> after its backoff, which doubles with each call until <see cref="Forget"/>.</summary>
    public TimeSpan AddRateLimited(string key)
    {
        int failures;
        lock (_lock)
        {
            failures = _failures[key] = _failures.GetValueOrDefault(key) + 1;
        }

        var delay = _backoff.Delay(failures);
        AddAfter(key, delay);
        return delay;
    }

    /// <summary>Clears the failure count of <paramref name="key"/>.</summary>
    public void Forget(string key)
    {
        lock (_lock)
        {
            _failures.Remove(key);
        }
    }

    /// <summary>Failures recorded for <paramref name="key"/>.</summary>
    public int Failures(string key)
    {
        lock (_lock)
        {
            return _failures.GetValueOrDefault(key);
        }
    }

    /// <summary>Takes the next key; the caller must call <see cref="Done"/> with it.</summary>
    public async ValueTask<string> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            string key = await _ready.Reader.ReadAsync(cancellationToken);
            lock (_lock)
            {
                if (_dirty.Remove(key))
                {
                    _processing.Add(key);
                    return key;
                }
            }
        }
    }

    /// <summary>Marks <paramref name="key"/> finished; if it was added meanwhile, it is queued again.</summary>
    public void Done(string key)
    {
        bool requeue;
        lock (_lock)
        {
            _processing.Remove(key);
            requeue = _dirty.Contains(key);
        }

        if (requeue)
        {
            _ready.Writer.TryWrite(key);
        }
    }

    /// <summary>Stops the delay timers.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var timer in _delayed.Values)
            {
                timer.Dispose();
            }

            _delayed.Clear();
        }
    }
}
