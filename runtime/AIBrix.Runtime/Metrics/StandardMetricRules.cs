using AIBrix.EngineMetrics;

namespace AIBrix.Runtime.Metrics;

/// <summary>
/// One standard series: the <c>aibrix:*</c> name and the engine series it is read from, tried in order (the first one
/// the page has wins, so a vLLM that exposes both a v1 and a v0 name gives one series, not two). Sources are family
/// base names: a counter's without <c>_total</c>, a histogram's without <c>_bucket</c>/<c>_sum</c>/<c>_count</c>.
/// </summary>
internal sealed record RenameRule(string Target, MetricType Type, string Help, params string[] Sources);

/// <summary>
/// The <c>aibrix:*</c> names per engine. The engine names come from the dialect tables the gateway's mapper reads
/// (<see cref="VllmNames"/>, <see cref="SglangNames"/>, <see cref="LlamaCppNames"/>), so the runtime and the gateway
/// agree on what each engine series means. The <c>aibrix:*</c> names are AIBrix's runtime names where it has one
/// (<c>queue_size</c>, <c>gpu_cache_usage_perc</c>, <c>time_to_first_token_seconds</c>, ...), and the same style
/// elsewhere; see docs/runtime.md.
/// </summary>
internal static class StandardMetricRules
{
    public const string QueueSize = "aibrix:queue_size";
    public const string Running = "aibrix:num_requests_running";
    public const string KvCacheUsage = "aibrix:gpu_cache_usage_perc";
    public const string CpuKvCacheUsage = "aibrix:cpu_cache_usage_perc";
    public const string CacheHitRate = "aibrix:cache_hit_rate";
    public const string PromptTokens = "aibrix:prompt_tokens";
    public const string GenerationTokens = "aibrix:generation_tokens";
    public const string Preemptions = "aibrix:num_preemptions";
    public const string RequestSuccess = "aibrix:request_success";
    public const string TimeToFirstToken = "aibrix:time_to_first_token_seconds";
    public const string TimePerOutputToken = "aibrix:time_per_output_token_seconds";
    public const string EndToEnd = "aibrix:e2e_request_latency_seconds";
    public const string QueueTime = "aibrix:request_queue_time_seconds";
    public const string PromptThroughput = "aibrix:prompt_throughput";
    public const string GenerationThroughput = "aibrix:generation_throughput";

    private const string Waiting = "Requests waiting to be scheduled.";
    private const string RunningHelp = "Requests in the running batch.";
    private const string KvHelp = "KV-cache usage, 0 to 1 (1 = full).";
    private const string PromptHelp = "Prompt (prefill) tokens processed.";
    private const string GenerationHelp = "Generated tokens.";
    private const string TtftHelp = "Time to first token, seconds.";
    private const string TpotHelp = "Time per output token (inter-token latency), seconds.";
    private const string E2eHelp = "End-to-end request latency, seconds.";
    private const string QueueTimeHelp = "Time requests spent waiting, seconds.";
    private const string PromptThroughputHelp = "Prompt tokens per second.";
    private const string GenerationThroughputHelp = "Generated tokens per second.";

    public static IReadOnlyList<RenameRule> Vllm { get; } =
    [
        new(QueueSize, MetricType.Gauge, Waiting, VllmNames.Waiting),
        new(Running, MetricType.Gauge, RunningHelp, VllmNames.Running),
        new(KvCacheUsage, MetricType.Gauge, KvHelp, VllmNames.KvUsage, VllmNames.GpuCacheUsageV0),
        new(CpuKvCacheUsage, MetricType.Gauge, "CPU (offloaded) KV-cache usage, 0 to 1.", VllmNames.CpuCacheUsageV0),
        new(PromptTokens, MetricType.Counter, PromptHelp, Counter(VllmNames.PromptTokens)),
        new(GenerationTokens, MetricType.Counter, GenerationHelp, Counter(VllmNames.GenerationTokens)),
        new(Preemptions, MetricType.Counter, "Requests preempted by the engine.", Counter(VllmNames.Preemptions)),
        new(RequestSuccess, MetricType.Counter, "Finished requests, by finish reason.", "vllm:request_success"),
        new(TimeToFirstToken, MetricType.Histogram, TtftHelp, VllmNames.TimeToFirstToken.Family),
        new(TimePerOutputToken, MetricType.Histogram, TpotHelp, [.. VllmNames.TimePerOutputToken.Select(h => h.Family)]),
        new(EndToEnd, MetricType.Histogram, E2eHelp, VllmNames.EndToEnd.Family),
        new(QueueTime, MetricType.Histogram, QueueTimeHelp, VllmNames.QueueTime.Family),
        new(PromptThroughput, MetricType.Gauge, PromptThroughputHelp, "vllm:avg_prompt_throughput_toks_per_s"),
        new(GenerationThroughput, MetricType.Gauge, GenerationThroughputHelp, "vllm:avg_generation_throughput_toks_per_s"),
    ];

    public static IReadOnlyList<RenameRule> Sglang { get; } =
    [
        new(QueueSize, MetricType.Gauge, Waiting, SglangNames.Waiting),
        new(Running, MetricType.Gauge, RunningHelp, SglangNames.Running),
        new(KvCacheUsage, MetricType.Gauge, KvHelp, SglangNames.TokenUsage),
        new(CacheHitRate, MetricType.Gauge, "Prefix-cache hit rate, 0 to 1.", SglangNames.CacheHitRate),
        new(PromptTokens, MetricType.Counter, PromptHelp, Counter(SglangNames.PromptTokens)),
        new(GenerationTokens, MetricType.Counter, GenerationHelp, Counter(SglangNames.GenerationTokens)),
        new(TimeToFirstToken, MetricType.Histogram, TtftHelp, SglangNames.TimeToFirstToken.Family),
        new(TimePerOutputToken, MetricType.Histogram, TpotHelp, [.. SglangNames.TimePerOutputToken.Select(h => h.Family)]),
        new(EndToEnd, MetricType.Histogram, E2eHelp, SglangNames.EndToEnd.Family),
        new(QueueTime, MetricType.Histogram, QueueTimeHelp, SglangNames.QueueTime.Family),
        new(GenerationThroughput, MetricType.Gauge, GenerationThroughputHelp, "sglang:gen_throughput"),
    ];

    public static IReadOnlyList<RenameRule> LlamaCpp { get; } =
    [
        new(QueueSize, MetricType.Gauge, Waiting, LlamaCppNames.Deferred),
        new(Running, MetricType.Gauge, RunningHelp, LlamaCppNames.Processing),
        new(KvCacheUsage, MetricType.Gauge, KvHelp, LlamaCppNames.KvUsage),
        new(PromptTokens, MetricType.Counter, PromptHelp, Counter(LlamaCppNames.PromptTokens)),
        new(GenerationTokens, MetricType.Counter, GenerationHelp, Counter(LlamaCppNames.PredictedTokens)),
        new(PromptThroughput, MetricType.Gauge, PromptThroughputHelp, "llamacpp:prompt_tokens_seconds"),
        new(GenerationThroughput, MetricType.Gauge, GenerationThroughputHelp, "llamacpp:predicted_tokens_seconds"),
    ];

    public static IReadOnlyList<RenameRule> For(EngineKind engine) => engine switch
    {
        EngineKind.Sglang => Sglang,
        EngineKind.LlamaCpp => LlamaCpp,
        _ => Vllm,
    };

    /// <summary>The engine whose names a page carries (the first <c>vllm:</c>, <c>sglang:</c> or <c>llamacpp:</c> family), or null.</summary>
    public static EngineKind? Detect(MetricFamilySet families)
    {
        foreach (var family in families.Families)
        {
            if (family.Name.StartsWith("vllm:", StringComparison.Ordinal))
            {
                return EngineKind.Vllm;
            }

            if (family.Name.StartsWith("sglang:", StringComparison.Ordinal))
            {
                return EngineKind.Sglang;
            }

            if (family.Name.StartsWith("llamacpp:", StringComparison.Ordinal))
            {
                return EngineKind.LlamaCpp;
            }
        }

        return null;
    }

    private static string Counter(string sampleName) =>
        sampleName.EndsWith("_total", StringComparison.Ordinal) ? sampleName[..^"_total".Length] : sampleName;
}
