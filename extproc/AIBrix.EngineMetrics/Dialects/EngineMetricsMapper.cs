namespace AIBrix.EngineMetrics;

/// <summary>
/// Maps one engine's metric families onto <see cref="EngineMetricsSnapshot"/>. vLLM v1 names are tried before v0 ones.
/// When a pod reports several label sets (models, data-parallel engine ranks), request counts and counters
/// are summed, latency histograms are merged bucket by bucket, and KV-cache usage takes the maximum: each rank
/// has its own KV pool and the fullest one is where the next request risks preemption, which an average hides.
/// A metric the engine does not report stays null.
/// </summary>
public static class EngineMetricsMapper
{
    /// <summary>Maps <paramref name="families"/> for an engine of kind <paramref name="engine"/>.</summary>
    public static EngineMetricsSnapshot Map(MetricFamilySet families, EngineKind engine) => Map(families, engine, out _);

    /// <summary>
    /// Maps <paramref name="families"/>; <paramref name="recognised"/> counts the fields that were found, so a
    /// caller can tell an engine's page from an unrelated one (zero).
    /// </summary>
    public static EngineMetricsSnapshot Map(MetricFamilySet families, EngineKind engine, out int recognised)
    {
        ArgumentNullException.ThrowIfNull(families);
        var metrics = engine switch
        {
            EngineKind.Vllm => MapVllm(families),
            EngineKind.Sglang => MapSglang(families),
            EngineKind.LlamaCpp => MapLlamaCpp(families),
            _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "unknown engine kind"),
        };
        if (MetricQueries.Sum(families, ExtensionNames.PendingPrefillTokens) is { } pending)
        {
            metrics = metrics with { PendingPrefillTokens = pending };
        }

        recognised = CountRecognised(metrics);
        return metrics;
    }

    private static EngineMetricsSnapshot MapVllm(MetricFamilySet f)
    {
        double? queries = MetricQueries.FirstSum(f, VllmNames.PrefixQueries);
        double? hits = MetricQueries.FirstSum(f, VllmNames.PrefixHits);
        LoraAdapterInfo.TryRead(f, VllmNames.LoraInfo, out var running, out var waiting, out int? maxLoras);
        return new EngineMetricsSnapshot
        {
            Running = MetricQueries.Sum(f, VllmNames.Running),
            Waiting = MetricQueries.Sum(f, VllmNames.Waiting),
            KvCacheUsage = MetricQueries.Max(f, VllmNames.KvUsage) ?? MetricQueries.Max(f, VllmNames.GpuCacheUsageV0),
            CpuKvCacheUsage = MetricQueries.Max(f, VllmNames.CpuCacheUsageV0),
            PrefixCacheQueries = queries,
            PrefixCacheHits = hits,
            PrefixCacheHitRate = queries > 0 && hits is { } h ? h / queries : null,
            PromptTokens = MetricQueries.Sum(f, VllmNames.PromptTokens),
            GenerationTokens = MetricQueries.Sum(f, VllmNames.GenerationTokens),
            Preemptions = MetricQueries.Sum(f, VllmNames.Preemptions),
            TimeToFirstToken = MetricQueries.Histogram(f, VllmNames.TimeToFirstToken),
            TimePerOutputToken = MetricQueries.FirstHistogram(f, VllmNames.TimePerOutputToken),
            EndToEndLatency = MetricQueries.Histogram(f, VllmNames.EndToEnd),
            QueueTime = MetricQueries.Histogram(f, VllmNames.QueueTime),
            RunningAdapters = running,
            WaitingAdapters = waiting,
            MaxLoras = maxLoras,
        };
    }

    private static EngineMetricsSnapshot MapSglang(MetricFamilySet f) => new()
    {
        Running = MetricQueries.Sum(f, SglangNames.Running),
        Waiting = MetricQueries.Sum(f, SglangNames.Waiting),
        KvCacheUsage = MetricQueries.Max(f, SglangNames.TokenUsage),
        PrefixCacheHitRate = MetricQueries.Max(f, SglangNames.CacheHitRate),
        PromptTokens = MetricQueries.Sum(f, SglangNames.PromptTokens),
        GenerationTokens = MetricQueries.Sum(f, SglangNames.GenerationTokens),
        TimeToFirstToken = MetricQueries.Histogram(f, SglangNames.TimeToFirstToken),
        TimePerOutputToken = MetricQueries.FirstHistogram(f, SglangNames.TimePerOutputToken),
        EndToEndLatency = MetricQueries.Histogram(f, SglangNames.EndToEnd),
        QueueTime = MetricQueries.Histogram(f, SglangNames.QueueTime),
    };

    private static EngineMetricsSnapshot MapLlamaCpp(MetricFamilySet f) => new()
    {
        Running = MetricQueries.Sum(f, LlamaCppNames.Processing),
        Waiting = MetricQueries.Sum(f, LlamaCppNames.Deferred),
        KvCacheUsage = MetricQueries.Max(f, LlamaCppNames.KvUsage),
        PromptTokens = MetricQueries.Sum(f, LlamaCppNames.PromptTokens),
        GenerationTokens = MetricQueries.Sum(f, LlamaCppNames.PredictedTokens),
    };

    private static int CountRecognised(EngineMetricsSnapshot m)
    {
        int n = 0;
        foreach (double? value in (ReadOnlySpan<double?>)[
            m.Running, m.Waiting, m.PendingPrefillTokens, m.KvCacheUsage, m.CpuKvCacheUsage, m.PrefixCacheQueries, m.PrefixCacheHits,
            m.PrefixCacheHitRate, m.PromptTokens, m.GenerationTokens, m.Preemptions, m.MaxLoras])
        {
            n += value.HasValue ? 1 : 0;
        }

        foreach (var histogram in (ReadOnlySpan<HistogramSnapshot?>)[m.TimeToFirstToken, m.TimePerOutputToken, m.EndToEndLatency, m.QueueTime])
        {
            n += histogram is null ? 0 : 1;
        }

        return n;
    }
}
