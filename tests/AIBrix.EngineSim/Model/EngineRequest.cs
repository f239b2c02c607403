namespace AIBrix.EngineSim;

/// <summary>A request given to <see cref="EngineModel.Submit"/>.</summary>
public sealed class EngineRequest
{
    /// <summary>Prompt token ids (see <see cref="SimTokenizer"/>).</summary>
    public required int[] PromptTokens { get; init; }

    /// <summary>Exactly how many tokens to generate (≥ 1).</summary>
    public required int OutputTokens { get; init; }

    /// <summary>True when the output ends with a stop (finish_reason "stop"), false when it hits max_tokens ("length").</summary>
    public bool EndsWithStop { get; init; }

    /// <summary>LoRA adapter serving the request, or null for the base model.</summary>
    public string? LoraAdapter { get; init; }

    /// <summary>Free for the caller (a stream, a trace record); the engine never reads it.</summary>
    public object? State { get; set; }

    /// <summary>Engine-assigned id, set by <see cref="EngineModel.Submit"/>.</summary>
    public long Id { get; internal set; }

    internal Sequence? Sequence { get; set; }
}

/// <summary>What happened to a request.</summary>
public enum EngineEventKind
{
    /// <summary>The prefill finished and the first token was produced.</summary>
    FirstToken,

    /// <summary>A later token was produced (only when <see cref="EngineConfig.EmitTokenEvents"/>).</summary>
    Token,

    /// <summary>The last token was produced; the request left the engine.</summary>
    Finished,

    /// <summary>The request lost its KV blocks and went back to the queue (recompute).</summary>
    Preempted,
}

/// <summary>One event at virtual time <see cref="Time"/> (seconds).</summary>
/// <param name="Request">The request.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Time">When, in the engine's clock (seconds).</param>
/// <param name="OutputTokens">Tokens generated so far, including this one.</param>
/// <param name="CachedTokens">Prompt tokens served from the prefix cache at admission.</param>
public readonly record struct EngineEvent(EngineRequest Request, EngineEventKind Kind, double Time, int OutputTokens, int CachedTokens);
