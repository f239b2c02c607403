using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace AIBrix.Gateway.Core.Routing.KvEvents;

/// <summary>
/// <c>kv-cost</c>'s per-pod prefill clocks: the instant each pod's queued prefill, as the routers that share this
/// object sent it, is done. Each decision pushes the chosen pod's clock forward by its uncached prefill; the clock
/// drains in (real or virtual) time. One gateway keeps its own; gateway replicas that share one (the bench's
/// <c>--share-prefill-clocks</c>: the bound a shared store would reach with no delay) see every replica's prefill.
/// Thread-safe.
/// </summary>
public sealed class PrefillClocks
{
    private readonly ConcurrentDictionary<string, StrongBox<double>> _busyUntil = new(StringComparer.Ordinal);

    /// <summary>Seconds of prefill still queued on <paramref name="pod"/> at <paramref name="now"/> (seconds).</summary>
    public double Remaining(string pod, double now)
    {
        if (!_busyUntil.TryGetValue(pod, out var clock))
        {
            return 0;
        }

        lock (clock)
        {
            return Math.Max(0, clock.Value - now);
        }
    }

    /// <summary>Queues <paramref name="seconds"/> of prefill on <paramref name="pod"/> at <paramref name="now"/>.</summary>
    public void Add(string pod, double now, double seconds)
    {
        var clock = _busyUntil.GetOrAdd(pod, static _ => new StrongBox<double>());
        lock (clock)
        {
            clock.Value = Math.Max(clock.Value, now) + seconds;
        }
    }
}
