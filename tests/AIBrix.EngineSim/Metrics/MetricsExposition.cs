using System.Globalization;

namespace AIBrix.EngineSim.Metrics;

/// <summary>
/// Renders an engine's state in one of three dialects.
/// Sources of the names: vLLM V1 — vllm-project/vllm <c>vllm/v1/metrics/loggers.py</c> via the shared sample
/// <c>data/engine-metrics/vllm_v1_metrics.txt</c> (HELP strings, buckets, label order copied from it); vLLM V0 —
/// vllm-project/vllm <c>docs/source/design/v1/metrics.md</c> "v0 Metrics" list; SGLang — sgl-project/sglang
/// <c>docs/references/production_metrics.md</c> and <c>python/sglang/srt/metrics/collector.py</c>.
/// </summary>
internal static class MetricsExposition
{
    public static string Render(EngineModel engine, MetricsDialect dialect, string model, int maxLoras)
    {
        var text = new PrometheusText();
        string m = "model_name=\"" + PrometheusText.Escape(model) + "\"";
        switch (dialect)
        {
            case MetricsDialect.VllmV0:
                RenderVllmV0(text, engine, m);
                break;
            case MetricsDialect.SGLang:
                RenderSGLang(text, engine, m);
                RenderPendingPrefill(text, engine, m);
                return text.ToString();
            default:
                RenderVllmV1(text, engine, m);
                break;
        }

        RenderLoraAndCacheInfo(text, engine, maxLoras, engineLabel: dialect == MetricsDialect.VllmV1);
        RenderPendingPrefill(text, engine, m);
        return text.ToString();
    }

    /// <summary>
    /// The simulator's extension, in every dialect: prompt tokens queued for prefill net of the prefix cache
    /// (<see cref="EngineModel.PendingUncachedPrefillTokens"/>). No released vLLM or SGLang exports this; the
    /// gateway's <c>kv-cost</c> reads it when present, so several gateway replicas see one prefill queue.
    /// </summary>
    private static void RenderPendingPrefill(PrometheusText t, EngineModel e, string m) =>
        Gauge(t, "aibrix:pending_prefill_tokens", "Prompt tokens waiting to be prefilled, net of the prefix cache (simulator extension).", m,
            e.PendingUncachedPrefillTokens());

    private static void RenderVllmV1(PrometheusText t, EngineModel e, string m)
    {
        var c = e.Counters;
        string l = "engine=\"0\"," + m;
        Gauge(t, "vllm:num_requests_running", "Number of requests in model execution batches.", l, e.RunningCount);
        Gauge(t, "vllm:num_requests_waiting", "Number of requests waiting to be processed.", l, e.WaitingCount);
        Gauge(t, "vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", l, e.KvCacheUsage);
        Counter(t, "vllm:prefix_cache_queries_total", "Prefix cache queries, in terms of number of queried tokens.", l, c.PrefixCacheQueries);
        Counter(t, "vllm:prefix_cache_hits_total", "Prefix cache hits, in terms of number of cached tokens.", l, c.PrefixCacheHits);
        Counter(t, "vllm:num_preemptions_total", "Cumulative number of preemption from the engine.", l, c.Preemptions);
        Counter(t, "vllm:prompt_tokens_total", "Number of prefill tokens processed.", l, c.PromptTokens);
        Counter(t, "vllm:generation_tokens_total", "Number of generation tokens processed.", l, c.GenerationTokens);
        SuccessCounter(t, c, "engine=\"0\",", m);
        t.Histogram("vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", c.TimeToFirstToken, "engine=\"0\",", m);
        t.Histogram("vllm:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.", c.InterTokenLatency, "engine=\"0\",", m);
        t.Histogram("vllm:request_time_per_output_token_seconds", "Histogram of time_per_output_token_seconds per request.", c.TimePerOutputToken, "engine=\"0\",", m);
        t.Histogram("vllm:e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.", c.EndToEndLatency, "engine=\"0\",", m);
        t.Histogram("vllm:request_queue_time_seconds", "Histogram of time spent in WAITING phase for request.", c.QueueTime, "engine=\"0\",", m);
    }

    private static void RenderVllmV0(PrometheusText t, EngineModel e, string m)
    {
        var c = e.Counters;
        Gauge(t, "vllm:num_requests_running", "Number of requests currently running on GPU.", m, e.RunningCount);
        Gauge(t, "vllm:num_requests_swapped", "Number of requests swapped to CPU.", m, 0);
        Gauge(t, "vllm:num_requests_waiting", "Number of requests waiting to be processed.", m, e.WaitingCount);
        Gauge(t, "vllm:gpu_cache_usage_perc", "GPU KV-cache usage. 1 means 100 percent usage.", m, e.KvCacheUsage);
        Gauge(t, "vllm:cpu_cache_usage_perc", "CPU KV-cache usage. 1 means 100 percent usage.", m, 0);
        Gauge(t, "vllm:gpu_prefix_cache_hit_rate", "GPU prefix cache block hit rate.", m, HitRate(c));
        Gauge(t, "vllm:cpu_prefix_cache_hit_rate", "CPU prefix cache block hit rate.", m, 0);
        Counter(t, "vllm:num_preemptions_total", "Cumulative number of preemption from the engine.", m, c.Preemptions);
        Counter(t, "vllm:prompt_tokens_total", "Number of prefill tokens processed.", m, c.PromptTokens);
        Counter(t, "vllm:generation_tokens_total", "Number of generation tokens processed.", m, c.GenerationTokens);
        SuccessCounter(t, c, "", m);
        t.Histogram("vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", c.TimeToFirstToken, "", m);
        t.Histogram("vllm:time_per_output_token_seconds", "Histogram of time per output token in seconds.", c.InterTokenLatency, "", m);
        t.Histogram("vllm:e2e_request_latency_seconds", "Histogram of end to end request latency in seconds.", c.EndToEndLatency, "", m);
        t.Histogram("vllm:request_queue_time_seconds", "Histogram of time spent in WAITING phase for request.", c.QueueTime, "", m);
    }

    private static void RenderSGLang(PrometheusText t, EngineModel e, string m)
    {
        var c = e.Counters;
        Gauge(t, "sglang:num_running_reqs", "The number of running requests.", m, e.RunningCount);
        Gauge(t, "sglang:num_queue_reqs", "The number of requests in the waiting queue.", m, e.WaitingCount);
        Gauge(t, "sglang:num_used_tokens", "The number of used tokens.", m, (e.Config.NumGpuBlocks - e.FreeBlocks) * (double)e.Config.BlockSize);
        Gauge(t, "sglang:token_usage", "The token usage.", m, e.KvCacheUsage);
        Gauge(t, "sglang:cache_hit_rate", "The prefix cache hit rate.", m, HitRate(c));
        Counter(t, "sglang:prompt_tokens_total", "Number of prefill tokens processed.", m, c.PromptTokens);
        Counter(t, "sglang:generation_tokens_total", "Number of generation tokens processed.", m, c.GenerationTokens);
        Counter(t, "sglang:num_requests_total", "Number of requests processed.", m, c.FinishedStop + c.FinishedLength + c.Aborted);
        t.Histogram("sglang:time_to_first_token_seconds", "Histogram of time to first token in seconds.", c.TimeToFirstToken, "", m);
        t.Histogram("sglang:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.", c.InterTokenLatency, "", m);
        // Older SGLang releases exposed the same series as time_per_output_token; readers of either name are served.
        t.Histogram("sglang:time_per_output_token_seconds", "Histogram of time per output token in seconds.", c.InterTokenLatency, "", m);
        t.Histogram("sglang:e2e_request_latency_seconds", "Histogram of End-to-end request latency in seconds", c.EndToEndLatency, "", m);
    }

    private static void RenderLoraAndCacheInfo(PrometheusText t, EngineModel e, int maxLoras, bool engineLabel)
    {
        string running = PrometheusText.Escape(string.Join(',', e.RunningAdapters()));
        string waiting = PrometheusText.Escape(string.Join(',', e.WaitingAdapters()));
        t.Family("vllm:lora_requests_info", "Running stats on lora requests.", "gauge");
        t.Sample("vllm:lora_requests_info",
            $"max_lora=\"{maxLoras.ToString(CultureInfo.InvariantCulture)}\",running_lora_adapters=\"{running}\",waiting_lora_adapters=\"{waiting}\"",
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);
        var cfg = e.Config;
        t.Family("vllm:cache_config_info", "Information of the LLMEngine CacheConfig", "gauge");
        t.Sample("vllm:cache_config_info",
            $"block_size=\"{cfg.BlockSize.ToString(CultureInfo.InvariantCulture)}\",cache_dtype=\"auto\"," +
            $"enable_prefix_caching=\"{(cfg.EnablePrefixCaching ? "True" : "False")}\"," +
            (engineLabel ? "engine=\"0\"," : "") +
            $"gpu_memory_utilization=\"0.9\",num_cpu_blocks=\"None\",num_gpu_blocks=\"{cfg.NumGpuBlocks.ToString(CultureInfo.InvariantCulture)}\"," +
            "num_gpu_blocks_override=\"None\",prefix_caching_hash_algo=\"xxhash\",sliding_window=\"None\",swap_space=\"4\"",
            1);
    }

    private static void SuccessCounter(PrometheusText t, EngineCounters c, string enginePrefix, string m)
    {
        t.Family("vllm:request_success_total", "Count of successfully processed requests.", "counter");
        t.Sample("vllm:request_success_total", enginePrefix + "finished_reason=\"stop\"," + m, c.FinishedStop);
        t.Sample("vllm:request_success_total", enginePrefix + "finished_reason=\"length\"," + m, c.FinishedLength);
        t.Sample("vllm:request_success_total", enginePrefix + "finished_reason=\"abort\"," + m, c.Aborted);
    }

    private static double HitRate(EngineCounters c) =>
        c.PrefixCacheQueries == 0 ? 0 : (double)c.PrefixCacheHits / c.PrefixCacheQueries;

    private static void Gauge(PrometheusText t, string name, string help, string labels, double value)
    {
        t.Family(name, help, "gauge");
        t.Sample(name, labels, value);
    }

    private static void Counter(PrometheusText t, string name, string help, string labels, double value)
    {
        t.Family(name, help, "counter");
        t.Sample(name, labels, value);
    }
}
