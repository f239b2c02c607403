namespace AIBrix.EngineMetrics;

/// <summary>llama.cpp server sample names (<c>tools/server/server.cpp</c>, <c>--metrics</c>); no histograms.</summary>
public static class LlamaCppNames
{
    public const string Processing = "llamacpp:requests_processing";
    public const string Deferred = "llamacpp:requests_deferred";
    public const string KvUsage = "llamacpp:kv_cache_usage_ratio";
    public const string PromptTokens = "llamacpp:prompt_tokens_total";
    public const string PredictedTokens = "llamacpp:tokens_predicted_total";
}
