namespace AIBrix.EngineMetrics;

/// <summary>
/// Returns one string instance per distinct text, looked up by span, so the names and label values that
/// repeat on every scrape are allocated once. Bounded: past the capacity new texts are returned uncached.
/// Not thread-safe; each parser owns one.
/// </summary>
internal sealed class StringInternPool
{
    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _capacity;

    public StringInternPool(int capacity)
    {
        _capacity = capacity;
        _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _strings.Count;

    public string Intern(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return string.Empty;
        }

        if (_lookup.TryGetValue(text, out var existing))
        {
            return existing;
        }

        var created = text.ToString();
        if (_strings.Count < _capacity)
        {
            _strings.Add(created);
        }

        return created;
    }
}
