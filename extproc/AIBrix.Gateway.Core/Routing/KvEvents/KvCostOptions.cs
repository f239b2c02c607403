namespace AIBrix.Gateway.Core.Routing.KvEvents;

/// <summary>The <c>kv-cost</c> strategy's model of time to first token (YAML <c>routing.kvCost</c>).</summary>
public sealed record KvCostOptions
{
    /// <summary>
    /// Prompt tokens a pod prefills per second (default 6,500: the engine simulator's H100 / Llama-3.1-8B
    /// profile, 0.15 ms a token plus 12 ms a step at 8,192 tokens a step). Set it to the engines' measured rate.
    /// </summary>
    public double PrefillTokensPerSecond { get; init; } = 6_500;

    /// <summary>Seconds of delay each request already decoding on the pod adds to a new request's first token (default 2 ms).</summary>
    public double DecodeSecondsPerRequest { get; init; } = 0.002;

    /// <summary>Every error in these settings (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(PrefillTokensPerSecond > 0))
        {
            errors.Add("routing.kvCost.prefillTokensPerSecond must be > 0");
        }

        if (!(DecodeSecondsPerRequest >= 0))
        {
            errors.Add("routing.kvCost.decodeSecondsPerRequest must be >= 0");
        }

        return errors;
    }
}
