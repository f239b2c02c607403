namespace AIBrix.EngineMetrics;

/// <summary>
/// Metrics no released engine exports, read from any engine kind when present (the engine simulator exports them).
/// </summary>
public static class ExtensionNames
{
    /// <summary>
    /// Prompt tokens queued for prefill net of the prefix cache. vLLM exports <c>vllm:num_requests_waiting</c> and
    /// SGLang <c>sglang:num_queue_reqs</c> (requests, not tokens); neither has a token count of its queue.
    /// </summary>
    public const string PendingPrefillTokens = "aibrix:pending_prefill_tokens";
}
