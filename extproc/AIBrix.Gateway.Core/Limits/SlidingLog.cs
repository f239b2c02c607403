namespace AIBrix.Gateway.Core.Limits;

/// <summary>
/// The entries of one sliding window, oldest first, each with the tokens it holds; the running sum
/// makes the TPM check O(1). Not thread-safe: <see cref="InMemoryLimitStore"/> locks it.
/// </summary>
internal sealed class SlidingLog
{
    private readonly Queue<Entry> _entries = new();
    private readonly Dictionary<string, Entry> _byId = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public long Tokens { get; private set; }

    public DateTimeOffset? Oldest => _entries.TryPeek(out var e) ? e.At : null;

    public void Trim(DateTimeOffset cutoff)
    {
        while (_entries.TryPeek(out var e) && e.At <= cutoff)
        {
            _entries.Dequeue();
            _byId.Remove(e.Id);
            Tokens -= e.Tokens;
        }
    }

    public void Add(string id, long tokens, DateTimeOffset at)
    {
        var entry = new Entry(id, at) { Tokens = tokens };
        _entries.Enqueue(entry);
        _byId[id] = entry;
        Tokens += tokens;
    }

    /// <summary>
    /// Replaces the reservation with the real count. A reservation already out of the window only
    /// charges what exceeds it, as a new entry, once (its id marks it).
    /// </summary>
    public void Settle(Settlement settlement, DateTimeOffset now)
    {
        if (_byId.TryGetValue(settlement.ReservationId, out var entry))
        {
            Tokens += settlement.ActualTokens - entry.Tokens;
            entry.Tokens = settlement.ActualTokens;
            return;
        }

        long extra = settlement.ActualTokens - settlement.ReservedTokens;
        string extraId = settlement.ReservationId + ":x";
        if (extra > 0 && !_byId.ContainsKey(extraId))
        {
            Add(extraId, extra, now);
        }
    }

    private sealed class Entry(string id, DateTimeOffset at)
    {
        public string Id { get; } = id;

        public DateTimeOffset At { get; } = at;

        public long Tokens { get; set; }
    }
}
