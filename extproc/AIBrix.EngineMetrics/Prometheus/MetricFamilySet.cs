using System.Diagnostics.CodeAnalysis;

namespace AIBrix.EngineMetrics;

/// <summary>
/// The families of one scrape, by name. A set is reused across parses (the parser resets it), which keeps the
/// steady state of a 50 ms scrape loop free of per-family allocations.
/// </summary>
public sealed class MetricFamilySet
{
    /// <summary>At most this many skipped lines keep their reason; the rest are only counted.</summary>
    public const int MaxRecordedErrors = 32;

    // Families absent from the latest parse stay here (reset) to be reused; when pods churn names, prune.
    private const int PruneThreshold = 4096;

    private static readonly string[] SampleSuffixes = ["_total", "_bucket", "_sum", "_count", "_created"];

    private readonly Dictionary<string, MetricFamily> _families = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MetricFamily>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly List<ParseError> _errors = [];
    private int _generation;

    /// <summary>Creates an empty set.</summary>
    public MetricFamilySet() => _bySpan = _families.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Lines skipped as malformed in the latest parse.</summary>
    public int MalformedLineCount { get; private set; }

    /// <summary>The first <see cref="MaxRecordedErrors"/> skipped lines with their reasons.</summary>
    public IReadOnlyList<ParseError> Errors => _errors;

    /// <summary>Families with at least one sample in the latest parse.</summary>
    public IEnumerable<MetricFamily> Families => _families.Values.Where(IsLive);

    /// <summary>Number of samples in the latest parse.</summary>
    public int SampleCount { get; private set; }

    /// <summary>Finds a family with at least one sample, by family name.</summary>
    public bool TryGetFamily(string name, [NotNullWhen(true)] out MetricFamily? family) =>
        TryGetLive(name.AsSpan(), out family);

    /// <summary>
    /// Finds the family holding samples named <paramref name="sampleName"/>: the family of that exact name, or
    /// the one whose name is <paramref name="sampleName"/> without a <c>_total</c>, <c>_bucket</c>, <c>_sum</c>,
    /// <c>_count</c> or <c>_created</c> suffix (so both <c>x_total</c>-typed and OpenMetrics-style <c>x</c>-typed
    /// counters are found).
    /// </summary>
    public bool TryGetFamilyOfSample(string sampleName, [NotNullWhen(true)] out MetricFamily? family)
    {
        var span = sampleName.AsSpan();
        return TryGetLive(span, out family) || TryGetLive(StripSuffix(span), out family);
    }

    internal static ReadOnlySpan<char> StripSuffix(ReadOnlySpan<char> sampleName)
    {
        foreach (var suffix in SampleSuffixes)
        {
            if (sampleName.Length > suffix.Length && sampleName.EndsWith(suffix, StringComparison.Ordinal))
            {
                return sampleName[..^suffix.Length];
            }
        }

        return [];
    }

    internal bool TryGetLive(ReadOnlySpan<char> name, [NotNullWhen(true)] out MetricFamily? family)
    {
        if (!name.IsEmpty && _bySpan.TryGetValue(name, out family) && IsLive(family))
        {
            return true;
        }

        family = null;
        return false;
    }

    /// <summary>A family touched by the current parse (declared or sampled), even with no samples yet.</summary>
    internal bool TryGetCurrent(ReadOnlySpan<char> name, [NotNullWhen(true)] out MetricFamily? family)
    {
        if (_bySpan.TryGetValue(name, out family) && family.Generation == _generation)
        {
            return true;
        }

        family = null;
        return false;
    }

    internal MetricFamily GetOrAdd(string name)
    {
        if (_families.TryGetValue(name, out var family))
        {
            if (family.Generation != _generation)
            {
                family.Reset(_generation);
            }

            return family;
        }

        family = new MetricFamily(name, _generation);
        _families.Add(name, family);
        return family;
    }

    internal void BeginParse()
    {
        _generation++;
        if (_families.Count > PruneThreshold)
        {
            _families.Clear();
        }

        _errors.Clear();
        MalformedLineCount = 0;
        SampleCount = 0;
    }

    internal void AddError(int lineNumber, string reason)
    {
        MalformedLineCount++;
        if (_errors.Count < MaxRecordedErrors)
        {
            _errors.Add(new ParseError(lineNumber, reason));
        }
    }

    internal void CountSample() => SampleCount++;

    private bool IsLive(MetricFamily family) => family.Generation == _generation && family.Samples.Length > 0;
}
