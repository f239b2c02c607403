namespace AIBrix.EngineSim;

/// <summary>Which engine's <c>/metrics</c> names to imitate.</summary>
public enum MetricsDialect
{
    /// <summary>vLLM V1 engine (0.8+): <c>vllm:kv_cache_usage_perc</c>, <c>vllm:prefix_cache_*_total</c>.</summary>
    VllmV1,

    /// <summary>vLLM V0 engine: <c>vllm:gpu_cache_usage_perc</c>, <c>vllm:gpu_prefix_cache_hit_rate</c>.</summary>
    VllmV0,

    /// <summary>SGLang: <c>sglang:num_running_reqs</c>, <c>sglang:token_usage</c>, <c>sglang:cache_hit_rate</c>.</summary>
    SGLang,
}
