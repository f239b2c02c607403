using System.Text;
using AIBrix.EngineMetrics;

namespace AIBrix.Runtime.Metrics;

/// <summary>
/// Rewrites one parsed engine page into <c>aibrix:*</c> series. Renamed series keep their labels and, for histograms,
/// every bucket; throughput and the vLLM prefix-cache hit rate, which not every engine exposes as a gauge, are derived
/// from the gateway's mapped snapshot (<see cref="EngineMetricsMapper"/>) and the counters' growth between scrapes.
/// Not thread-safe: the page cache calls it from one scrape at a time.
/// </summary>
internal sealed class MetricStandardizer
{
    // Throughput from counters needs two points far enough apart that a burst of scrapes does not make noise.
    private static readonly TimeSpan MinRateWindow = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private CounterPoint? _base;
    private double? _promptRate;
    private double? _generationRate;

    public MetricStandardizer(TimeProvider time) => _time = time;

    /// <summary>Appends the standard series of <paramref name="families"/> read as <paramref name="engine"/>'s; returns how many families it wrote.</summary>
    public int Write(StringBuilder sb, MetricFamilySet families, EngineKind engine)
    {
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in StandardMetricRules.For(engine))
        {
            if (Rename(sb, families, rule))
            {
                written.Add(rule.Target);
            }
        }

        var snapshot = EngineMetricsMapper.Map(families, engine);
        UpdateRates(snapshot);
        Derived(sb, written, StandardMetricRules.PromptThroughput, "Prompt tokens per second (from the counter's growth between scrapes).", _promptRate);
        Derived(sb, written, StandardMetricRules.GenerationThroughput, "Generated tokens per second (from the counter's growth between scrapes).", _generationRate);
        Derived(sb, written, StandardMetricRules.CacheHitRate, "Prefix-cache hit rate, 0 to 1 (hits over queries since the engine started).", snapshot.PrefixCacheHitRate);
        return written.Count;
    }

    private static bool Rename(StringBuilder sb, MetricFamilySet families, RenameRule rule)
    {
        foreach (string source in rule.Sources)
        {
            string probe = rule.Type switch
            {
                MetricType.Counter => source + "_total",
                MetricType.Histogram => source + "_count",
                _ => source,
            };
            if (!families.TryGetFamilyOfSample(probe, out var family) && !families.TryGetFamily(source, out family))
            {
                continue;
            }

            Exposition.Header(sb, rule.Target, rule.Type, $"{rule.Help} (from {source})");
            foreach (ref readonly var sample in family.Samples)
            {
                if (sample.Name.StartsWith(source, StringComparison.Ordinal))
                {
                    Exposition.Sample(sb, string.Concat(rule.Target, sample.Name.AsSpan(source.Length)), family.LabelsOf(sample), sample.Value);
                }
            }

            return true;
        }

        return false;
    }

    private static void Derived(StringBuilder sb, HashSet<string> written, string name, string help, double? value)
    {
        if (value is { } v && written.Add(name))
        {
            Exposition.Header(sb, name, MetricType.Gauge, help);
            Exposition.Sample(sb, name, [], v);
        }
    }

    private void UpdateRates(EngineMetricsSnapshot snapshot)
    {
        long now = _time.GetTimestamp();
        if (snapshot.PromptTokens is null && snapshot.GenerationTokens is null)
        {
            return;
        }

        var point = new CounterPoint(now, snapshot.PromptTokens, snapshot.GenerationTokens);
        if (_base is not { } previous)
        {
            _base = point;
            return;
        }

        var elapsed = _time.GetElapsedTime(previous.Timestamp, now);
        if (elapsed < MinRateWindow)
        {
            return;
        }

        _promptRate = Rate(previous.Prompt, point.Prompt, elapsed);
        _generationRate = Rate(previous.Generation, point.Generation, elapsed);
        _base = point;
    }

    // A counter that went down means the engine restarted: no rate until the next pair of points.
    private static double? Rate(double? before, double? after, TimeSpan elapsed) =>
        before is { } b && after is { } a && a >= b ? (a - b) / elapsed.TotalSeconds : null;

    private readonly record struct CounterPoint(long Timestamp, double? Prompt, double? Generation);
}
