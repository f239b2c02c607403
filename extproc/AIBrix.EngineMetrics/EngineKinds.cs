namespace AIBrix.EngineMetrics;

/// <summary>Engine names as written in config files and pod labels.</summary>
public static class EngineKinds
{
    /// <summary>Parses an engine name (case-insensitive, surrounding blanks ignored; <c>llama.cpp</c> and <c>llama-cpp</c> accepted).</summary>
    public static bool TryParse(string? value, out EngineKind engine)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "vllm":
                engine = EngineKind.Vllm;
                return true;
            case "sglang":
                engine = EngineKind.Sglang;
                return true;
            case "llamacpp" or "llama.cpp" or "llama-cpp":
                engine = EngineKind.LlamaCpp;
                return true;
            default:
                engine = default;
                return false;
        }
    }

    /// <summary>
    /// The engine a pod's <c>model.aibrix.ai/engine</c> label names; vLLM when the label is missing or unknown,
    /// since vLLM is what AIBrix deploys by default.
    /// </summary>
    public static EngineKind FromLabel(string? label) => TryParse(label, out var engine) ? engine : EngineKind.Vllm;
}
