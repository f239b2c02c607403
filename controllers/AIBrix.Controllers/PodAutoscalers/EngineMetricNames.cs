using AIBrix.EngineMetrics;

namespace AIBrix.Controllers.PodAutoscalers;

/// <summary>
/// Reads a <c>targetMetric</c> from one engine's metrics page. AIBrix's names (<c>gpu_cache_usage_perc</c>,
/// <c>num_requests_waiting</c>, ...) and each engine's own spelling of them (<c>sglang:token_usage</c>,
/// <c>llamacpp:requests_deferred</c>) go through the gateway's <see cref="EngineMetricsMapper"/>, so KV-cache
/// usage means the same on vLLM, SGLang and llama.cpp; any other name is read as it is written (summed over label
/// sets), with and without the engine's prefix.
/// </summary>
internal static class EngineMetricNames
{
    private static readonly Dictionary<string, Func<EngineMetricsSnapshot, double?>> Mapped = new(StringComparer.OrdinalIgnoreCase)
    {
        ["gpu_cache_usage_perc"] = m => m.KvCacheUsage,
        ["kv_cache_usage_perc"] = m => m.KvCacheUsage,
        ["token_usage"] = m => m.KvCacheUsage,
        ["kv_cache_usage_ratio"] = m => m.KvCacheUsage,
        ["cpu_cache_usage_perc"] = m => m.CpuKvCacheUsage,
        ["num_requests_running"] = m => m.Running,
        ["num_running_reqs"] = m => m.Running,
        ["requests_processing"] = m => m.Running,
        ["num_requests_waiting"] = m => m.Waiting,
        ["num_queue_reqs"] = m => m.Waiting,
        ["requests_deferred"] = m => m.Waiting,
    };

    /// <summary>Whether <paramref name="metric"/> is one of the names mapped across engines.</summary>
    public static bool IsMapped(string metric) => Mapped.ContainsKey(Unprefixed(metric));

    /// <summary>The value of <paramref name="metric"/> on a page of <paramref name="engine"/>; null when the page lacks it.</summary>
    public static double? Read(MetricFamilySet families, EngineKind engine, string metric)
    {
        string name = Unprefixed(metric);
        if (Mapped.TryGetValue(name, out var field))
        {
            return field(EngineMetricsMapper.Map(families, engine));
        }

        return MetricQueries.Sum(families, metric) ?? (name == metric ? MetricQueries.Sum(families, Prefix(engine) + name) : null);
    }

    private static string Unprefixed(string metric)
    {
        int colon = metric.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 && metric[..colon] is "vllm" or "sglang" or "llamacpp" ? metric[(colon + 1)..] : metric;
    }

    private static string Prefix(EngineKind engine) => engine switch
    {
        EngineKind.Sglang => "sglang:",
        EngineKind.LlamaCpp => "llamacpp:",
        _ => "vllm:",
    };
}
