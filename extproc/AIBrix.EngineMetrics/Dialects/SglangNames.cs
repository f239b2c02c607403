namespace AIBrix.EngineMetrics;

/// <summary>SGLang sample names (<c>python/sglang/srt/metrics/collector.py</c>).</summary>
public static class SglangNames
{
    public const string Running = "sglang:num_running_reqs";
    public const string Waiting = "sglang:num_queue_reqs";
    public const string TokenUsage = "sglang:token_usage";
    public const string CacheHitRate = "sglang:cache_hit_rate";
    public const string PromptTokens = "sglang:prompt_tokens_total";
    public const string GenerationTokens = "sglang:generation_tokens_total";

    public static readonly HistogramNames TimeToFirstToken = new("sglang:time_to_first_token_seconds");
    public static readonly HistogramNames EndToEnd = new("sglang:e2e_request_latency_seconds");
    public static readonly HistogramNames QueueTime = new("sglang:queue_time_seconds");

    // Newer SGLang exposes inter_token_latency_seconds; older releases time_per_output_token_seconds.
    public static readonly HistogramNames[] TimePerOutputToken =
        [new("sglang:inter_token_latency_seconds"), new("sglang:time_per_output_token_seconds")];
}
