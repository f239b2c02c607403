using System.Collections.Concurrent;
using AIBrix.Autoscaling;

namespace AIBrix.Controllers.PodAutoscalers;

/// <summary>
/// One <see cref="Autoscaler"/> per PodAutoscaler, kept between reconciles so its windows, KPA's panic state and the
/// cooldown history survive: a new one is made only for a new PodAutoscaler or a new leadership term; a changed spec
/// is handed to <see cref="Autoscaler.Update"/>, which keeps the samples of every metric still listed.
/// </summary>
internal sealed class AutoscalerStates(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>PodAutoscalers with state.</summary>
    public int Count => _entries.Count;

    /// <summary>The entry of <paramref name="key"/>, created on first use.</summary>
    public Entry Of(string key) => _entries.GetOrAdd(key, _ => new Entry());

    /// <summary>The autoscaler of <paramref name="key"/> for <paramref name="settings"/>, made or updated as needed.</summary>
    public Autoscaler AutoscalerOf(Entry entry, AutoscalerSettings settings, string fingerprint, int readyPods)
    {
        if (entry.Autoscaler is null)
        {
            entry.Autoscaler = new Autoscaler(settings, time, readyPods);
        }
        else if (entry.Fingerprint != fingerprint)
        {
            entry.Autoscaler.Update(settings);
        }

        entry.Fingerprint = fingerprint;
        return entry.Autoscaler;
    }

    /// <summary>Drops the state of a deleted PodAutoscaler.</summary>
    public void Forget(string key) => _entries.TryRemove(key, out _);

    /// <summary>Drops everything (a new leadership term must not trust windows it did not keep up).</summary>
    public void Clear() => _entries.Clear();

    /// <summary>What the controller keeps about one PodAutoscaler.</summary>
    internal sealed class Entry
    {
        /// <summary>The autoscaler; null until metrics strategy KPA or APA first runs.</summary>
        public Autoscaler? Autoscaler { get; set; }

        /// <summary>The spec and annotations the autoscaler was built from.</summary>
        public string? Fingerprint { get; set; }

        /// <summary>
        /// The status this controller last wrote (JSON). It is the only writer of status, and its informer's copy can lag
        /// its own writes: comparing with what it wrote keeps an unchanged status from being written again.
        /// </summary>
        public string? WrittenStatus { get; set; }

        /// <summary>Whether a leftover HPA of ours was looked for since the strategy last was not HPA.</summary>
        public bool HpaCleared { get; set; }
    }
}
