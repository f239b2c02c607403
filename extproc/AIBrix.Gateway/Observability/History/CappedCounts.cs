namespace AIBrix.Gateway.Observability.History;

/// <summary>
/// Counts by key with at most <c>capacity</c> keys: once full, new keys count under
/// <see cref="HistoryOptions.Other"/> (which always has room). Cleared, it keeps its storage.
/// </summary>
internal sealed class CappedCounts<TKey>(int capacity, TKey other)
    where TKey : notnull
{
    private readonly Dictionary<TKey, long> _counts = new(capacity + 1);

    public int Keys => _counts.Count;

    public IEnumerable<KeyValuePair<TKey, long>> Entries => _counts;

    public void Add(TKey key, long amount = 1)
    {
        if (!_counts.ContainsKey(key) && _counts.Count >= capacity)
        {
            key = other;
        }

        _counts[key] = _counts.GetValueOrDefault(key) + amount;
    }

    public void Clear() => _counts.Clear();
}
