namespace AIBrix.EngineMetrics;

/// <summary>vLLM sample names: v1 (<c>vllm/v1/metrics/loggers.py</c>) first, then v0 (<c>vllm/engine/metrics.py</c>).</summary>
public static class VllmNames
{
    public const string Running = "vllm:num_requests_running";
    public const string Waiting = "vllm:num_requests_waiting";
    public const string KvUsage = "vllm:kv_cache_usage_perc";
    public const string GpuCacheUsageV0 = "vllm:gpu_cache_usage_perc";
    public const string CpuCacheUsageV0 = "vllm:cpu_cache_usage_perc";
    public const string PromptTokens = "vllm:prompt_tokens_total";
    public const string GenerationTokens = "vllm:generation_tokens_total";
    public const string Preemptions = "vllm:num_preemptions_total";
    public const string LoraInfo = "vllm:lora_requests_info";

    // v1 counts tokens; v0's gpu_prefix_cache_* counted blocks (and was exposed with and without _total).
    public static readonly string[] PrefixQueries =
        ["vllm:prefix_cache_queries_total", "vllm:gpu_prefix_cache_queries_total", "vllm:gpu_prefix_cache_queries"];

    public static readonly string[] PrefixHits =
        ["vllm:prefix_cache_hits_total", "vllm:gpu_prefix_cache_hits_total", "vllm:gpu_prefix_cache_hits"];

    public static readonly HistogramNames TimeToFirstToken = new("vllm:time_to_first_token_seconds");
    public static readonly HistogramNames EndToEnd = new("vllm:e2e_request_latency_seconds");
    public static readonly HistogramNames QueueTime = new("vllm:request_queue_time_seconds");

    // v1 renamed time_per_output_token_seconds to inter_token_latency_seconds (0.11).
    public static readonly HistogramNames[] TimePerOutputToken =
        [new("vllm:inter_token_latency_seconds"), new("vllm:time_per_output_token_seconds")];
}
