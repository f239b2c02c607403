namespace AIBrix.EngineSim;

/// <summary>Scheduler and cache limits of one simulated engine; defaults follow vLLM on one H100 with an 8B model.</summary>
public sealed record EngineConfig
{
    /// <summary>Tokens per KV block (vLLM's default on CUDA).</summary>
    public int BlockSize { get; init; } = 16;

    /// <summary>KV-cache capacity in blocks (vLLM reports 29,952 for Llama-3.1-8B at 0.9 memory utilisation on H100).</summary>
    public int NumGpuBlocks { get; init; } = 29_952;

    /// <summary>Most sequences in one batch (vLLM <c>--max-num-seqs</c>).</summary>
    public int MaxNumSeqs { get; init; } = 256;

    /// <summary>Token budget of one step; longer prompts are prefilled in chunks (vLLM <c>--max-num-batched-tokens</c>).</summary>
    public int MaxNumBatchedTokens { get; init; } = 8192;

    /// <summary>Largest prompt + output length accepted (vLLM <c>--max-model-len</c>).</summary>
    public int MaxModelLen { get; init; } = 32_768;

    /// <summary>
    /// The context a request really gets: <see cref="MaxModelLen"/>, or less when the whole KV cache holds fewer
    /// tokens (vLLM refuses to start then; the simulator caps instead, so a small test cache still runs).
    /// </summary>
    public int EffectiveMaxModelLen => (int)Math.Min(MaxModelLen, (long)NumGpuBlocks * BlockSize);

    /// <summary>vLLM's 400 for a request that does not fit the context, or null when it fits.</summary>
    /// <param name="promptTokens">Prompt length.</param>
    /// <param name="maxTokens">Requested output length, or null when the request sets none.</param>
    public ContextLengthError? CheckContextLength(int promptTokens, int? maxTokens) =>
        ContextLengthError.Check(EffectiveMaxModelLen, promptTokens, maxTokens);

    /// <summary>Whether full prompt blocks are reused across requests.</summary>
    public bool EnablePrefixCaching { get; init; } = true;

    /// <summary>When false, only first-token, finished and preempted events are produced (faster for offline replays).</summary>
    public bool EmitTokenEvents { get; init; } = true;

    /// <summary>The step-time model: the linear H100 profile by default, or a GPU's roofline (<see cref="RooflineStepTime"/>).</summary>
    public IStepTimeModel Profile { get; init; } = StepTimeProfile.H100Llama8B;

    /// <summary>Lists every problem, empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (BlockSize <= 0)
        {
            errors.Add("block size must be > 0");
        }

        if (NumGpuBlocks <= 0)
        {
            errors.Add("num-gpu-blocks must be > 0");
        }

        if (MaxNumSeqs <= 0)
        {
            errors.Add("max-num-seqs must be > 0");
        }

        if (MaxNumBatchedTokens <= 0)
        {
            errors.Add("max-num-batched-tokens must be > 0");
        }

        if (MaxModelLen <= 1)
        {
            errors.Add("max-model-len must be > 1");
        }

        errors.AddRange(Profile.Validate());
        return errors;
    }
}
