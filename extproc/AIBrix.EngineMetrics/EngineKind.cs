namespace AIBrix.EngineMetrics;

/// <summary>The model-server family behind an endpoint; it decides metric names and admin APIs.</summary>
public enum EngineKind
{
    /// <summary>vLLM (v0 or v1 metric names; both are understood).</summary>
    Vllm,

    /// <summary>SGLang.</summary>
    Sglang,

    /// <summary>llama.cpp's server.</summary>
    LlamaCpp,
}
