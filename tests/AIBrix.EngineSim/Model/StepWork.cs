namespace AIBrix.EngineSim;

/// <summary>What one engine step computes: the input of an <see cref="IStepTimeModel"/>.</summary>
/// <param name="PrefillTokens">Uncached prompt tokens computed in the step (all prefill chunks together).</param>
/// <param name="DecodeSequences">Sequences that decode one token in the step.</param>
/// <param name="ContextTokens">KV entries the scheduled sequences attend over (their whole context after the step).</param>
/// <param name="AttentionPairs">
/// Query-key pairs of causal attention in the step: a sequence with <c>c</c> computed tokens that computes <c>n</c> more
/// adds <c>n·c + n(n+1)/2</c> (a decode adds <c>c + 1</c>). Attention FLOPs are proportional to it.
/// </param>
public readonly record struct StepWork(int PrefillTokens, int DecodeSequences, long ContextTokens, long AttentionPairs)
{
    /// <summary>This work plus one scheduled sequence.</summary>
    /// <param name="newTokens">Tokens the sequence computes in the step.</param>
    /// <param name="computedBefore">Tokens it had computed (or found cached) before the step.</param>
    /// <param name="isDecode">Whether the step decodes one token for it (otherwise it is a prefill chunk).</param>
    public StepWork Plus(int newTokens, int computedBefore, bool isDecode) => new(
        PrefillTokens + (isDecode ? 0 : newTokens),
        DecodeSequences + (isDecode ? 1 : 0),
        ContextTokens + computedBefore + newTokens,
        AttentionPairs + (long)newTokens * computedBefore + (long)newTokens * (newTokens + 1) / 2);
}
