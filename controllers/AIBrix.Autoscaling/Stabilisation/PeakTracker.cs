namespace AIBrix.Autoscaling.Stabilisation;

/// <summary>
/// The highest count asked for over a sliding window, as a monotonic deque: an older count no higher than a newer
/// one can never be the highest again and is dropped, so the list holds at most one entry per distinct count.
/// </summary>
internal sealed class PeakTracker
{
    private readonly List<(DateTimeOffset At, int Count)> _entries = new(4);

    /// <summary>The highest count still held; null when none.</summary>
    public int? Highest => _entries.Count == 0 ? null : _entries[0].Count;

    /// <summary>Entries held.</summary>
    public int Count => _entries.Count;

    /// <summary>Records <paramref name="count"/> asked for at <paramref name="at"/>.</summary>
    public void Add(DateTimeOffset at, int count)
    {
        int n = _entries.Count;
        while (n > 0 && _entries[n - 1].Count <= count)
        {
            n--;
        }

        _entries.RemoveRange(n, _entries.Count - n);
        _entries.Add((at, count));
    }

    /// <summary>Drops the counts asked for before <paramref name="cutoff"/>.</summary>
    public void DropBefore(DateTimeOffset cutoff)
    {
        int stale = 0;
        while (stale < _entries.Count && _entries[stale].At < cutoff)
        {
            stale++;
        }

        _entries.RemoveRange(0, stale);
    }
}
