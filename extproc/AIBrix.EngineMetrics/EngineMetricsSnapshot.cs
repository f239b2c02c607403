namespace AIBrix.EngineMetrics;

/// <summary>
/// One scrape of one engine, mapped from vLLM v0/v1, SGLang or llama.cpp names onto one set.
/// A null value means the engine did not report it: consumers must not read that as zero (idle).
/// </summary>
public sealed record EngineMetricsSnapshot
{
    /// <summary>Requests in the running batch.</summary>
    public double? Running { get; init; }

    /// <summary>Requests queued, not yet scheduled.</summary>
    public double? Waiting { get; init; }

    /// <summary>
    /// Prompt tokens queued for prefill net of the prefix cache (<c>aibrix:pending_prefill_tokens</c>, any engine
    /// kind). An extension: the engine simulator exports it; no released vLLM or SGLang does (they export queued
    /// request counts, <c>num_requests_waiting</c> / <c>num_queue_reqs</c>, not their tokens), so null for them.
    /// </summary>
    public double? PendingPrefillTokens { get; init; }

    /// <summary>GPU KV-cache usage in [0,1].</summary>
    public double? KvCacheUsage { get; init; }

    /// <summary>CPU (offloaded) KV-cache usage in [0,1], where the engine reports it.</summary>
    public double? CpuKvCacheUsage { get; init; }

    /// <summary>Prefix-cache queries, in tokens (counter).</summary>
    public double? PrefixCacheQueries { get; init; }

    /// <summary>Prefix-cache hits, in tokens (counter).</summary>
    public double? PrefixCacheHits { get; init; }

    /// <summary>
    /// Prefix-cache hit rate in [0,1]: SGLang's <c>cache_hit_rate</c> gauge, or for vLLM hits over queries since
    /// the engine started (a lifetime ratio; take deltas of the counters for a recent one).
    /// </summary>
    public double? PrefixCacheHitRate { get; init; }

    /// <summary>Prompt tokens processed (counter).</summary>
    public double? PromptTokens { get; init; }

    /// <summary>Generated tokens (counter).</summary>
    public double? GenerationTokens { get; init; }

    /// <summary>Preemptions (counter).</summary>
    public double? Preemptions { get; init; }

    /// <summary>Time to first token, seconds.</summary>
    public HistogramSnapshot? TimeToFirstToken { get; init; }

    /// <summary>Time per output token (inter-token latency), seconds.</summary>
    public HistogramSnapshot? TimePerOutputToken { get; init; }

    /// <summary>End-to-end request latency, seconds.</summary>
    public HistogramSnapshot? EndToEndLatency { get; init; }

    /// <summary>Time spent queued, seconds.</summary>
    public HistogramSnapshot? QueueTime { get; init; }

    /// <summary>LoRA adapters with running requests (vLLM <c>lora_requests_info</c>).</summary>
    public IReadOnlyList<string> RunningAdapters { get; init; } = [];

    /// <summary>LoRA adapters with waiting requests.</summary>
    public IReadOnlyList<string> WaitingAdapters { get; init; } = [];

    /// <summary>Maximum LoRA adapters the engine may hold at once.</summary>
    public int? MaxLoras { get; init; }
}
