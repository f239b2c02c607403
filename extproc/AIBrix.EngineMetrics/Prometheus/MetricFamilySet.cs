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

    // The series of the current parse, by a 64-bit hash of name, label set (order-free) and timestamp: the first
    // sample's family, index and line. Cleared (not reallocated) by each parse.
    private readonly Dictionary<ulong, (MetricFamily Family, int Index, int Line)> _series = [];
    private int _generation;

    /// <summary>Creates an empty set.</summary>
    public MetricFamilySet() => _bySpan = _families.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Lines skipped as malformed in the latest parse.</summary>
    public int MalformedLineCount { get; private set; }

    /// <summary>The first <see cref="MaxRecordedErrors"/> skipped lines with their reasons.</summary>
    public IReadOnlyList<ParseError> Errors => _errors;

    /// <summary>Families with at least one sample in the latest parse.</summary>
    public IEnumerable<MetricFamily> Families => _families.Values.Where(IsLive);

    /// <summary>Samples skipped in the latest parse because their series had already been seen (counted in <see cref="MalformedLineCount"/> too).</summary>
    public int DuplicateSeries { get; private set; }

    /// <summary>The first duplicate of the latest parse: <c>name{labels} at lines 3 and 9</c>; null when none.</summary>
    public string? FirstDuplicate { get; private set; }

    /// <summary>
    /// Why a page with duplicate series cannot be trusted, for a scraper to fail the scrape with; null when there
    /// are none. Which of the two values is right is unknowable (two exporters writing one page, a multi-process
    /// collector counting a worker twice), and summing them would double a load signal.
    /// </summary>
    public string? DuplicateSeriesError => DuplicateSeries == 0 ? null
        : $"{DuplicateSeries} duplicate series on the page (first: {FirstDuplicate}); an exporter bug: the values are not summed, "
          + "and Prometheus would drop them too (prometheus_target_scrapes_sample_duplicate_timestamp_total)";

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
        _series.Clear();
        DuplicateSeries = 0;
        FirstDuplicate = null;
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

    /// <summary>
    /// Records the series of <paramref name="sample"/> (not yet added to <paramref name="family"/>); returns the line
    /// of an earlier sample of the same series, or null when it is new.
    /// </summary>
    internal int? TrackSeries(MetricFamily family, in PrometheusSample sample, int line)
    {
        ulong key = Mix((uint)sample.Name.GetHashCode(StringComparison.Ordinal));
        ulong labels = 0;
        foreach (ref readonly var label in family.LabelsOf(sample))
        {
            labels += Mix(((ulong)(uint)label.Name.GetHashCode(StringComparison.Ordinal) << 32) | (uint)label.Value.GetHashCode(StringComparison.Ordinal));
        }

        key ^= Mix(labels ^ 0x9E3779B97F4A7C15UL);
        if (sample.TimestampMs is { } ms)
        {
            key ^= Mix((ulong)ms + 0x632BE59BD9B4E019UL);
        }

        if (_series.TryGetValue(key, out var first))
        {
            // A hash match: a duplicate only if really the same series (a collision is let through as a new one).
            return SameSeries(first.Family, first.Family.Samples[first.Index], family, sample) ? first.Line : null;
        }

        _series.Add(key, (family, family.Samples.Length, line));
        return null;
    }

    internal string AddDuplicate(MetricFamily family, in PrometheusSample sample, int firstLine, int line)
    {
        DuplicateSeries++;
        var text = new System.Text.StringBuilder(sample.Name);
        var labels = family.LabelsOf(sample);
        if (labels.Length > 0)
        {
            text.Append('{');
            for (int i = 0; i < labels.Length; i++)
            {
                if (i > 0)
                {
                    text.Append(',');
                }

                text.Append(labels[i].Name).Append("=\"").Append(Bounded(labels[i].Value)).Append('"');
            }

            text.Append('}');
        }

        string series = Bounded(text.ToString(), 200);
        FirstDuplicate ??= $"{series} at lines {firstLine} and {line}";
        return $"duplicate series {series} (first at line {firstLine}): skipped, not summed";
    }

    private static string Bounded(string s, int max = 64) => s.Length <= max ? s : string.Concat(s.AsSpan(0, max), "...");

    private static bool SameSeries(MetricFamily aFamily, in PrometheusSample a, MetricFamily bFamily, in PrometheusSample b)
    {
        if (!string.Equals(a.Name, b.Name, StringComparison.Ordinal) || a.TimestampMs != b.TimestampMs || a.LabelCount != b.LabelCount)
        {
            return false;
        }

        var bLabels = bFamily.LabelsOf(b);
        foreach (ref readonly var label in aFamily.LabelsOf(a))
        {
            bool found = false;
            foreach (ref readonly var other in bLabels)
            {
                if (string.Equals(label.Name, other.Name, StringComparison.Ordinal) && string.Equals(label.Value, other.Value, StringComparison.Ordinal))
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }

    private static ulong Mix(ulong z)
    {
        // splitmix64's finaliser: spreads every input bit over the word, so sums of mixed labels rarely collide.
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private bool IsLive(MetricFamily family) => family.Generation == _generation && family.Samples.Length > 0;
}
