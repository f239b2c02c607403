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

    /// <summary>
    /// How much more than its own prefill time a cache miss costs (Dynamo's <c>overlap_score_weight</c>, whose default is 1; default here 3, measured best on the replays):
    /// above 1 the strategy keeps a prefix group on the pods that hold it longer before spreading it.
    /// </summary>
    public double OverlapWeight { get; init; } = 3;

    /// <summary>Seconds added at a full KV cache, in proportion to the engine's scraped KV-cache usage (default 0).</summary>
    public double KvUsageSeconds { get; init; } = 0;

    /// <summary>
    /// Whether to combine this gateway's own counts with the engines' scraped load (<c>num_requests_waiting</c>,
    /// <c>num_requests_running</c>, KV-cache usage), which every gateway replica sees alike (default true).
    /// </summary>
    public bool UseEngineLoad { get; init; } = true;

    /// <summary>
    /// Whether to read the engines' queued prefill tokens (<c>aibrix:pending_prefill_tokens</c>, exported by the
    /// engine simulator; not by released vLLM or SGLang) as the prefill queue when they export it, with
    /// <see cref="UseEngineLoad"/>. Default false: measured, the engines' true queue makes the greedy rule spread
    /// shared-prefix groups (docs/benchmarks.md, issue 16 fourth pass); engines without the gauge use this
    /// gateway's own prefill clock either way.
    /// </summary>
    public bool UseEnginePrefillQueue { get; init; }

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

        if (!(OverlapWeight >= 0))
        {
            errors.Add("routing.kvCost.overlapWeight must be >= 0");
        }

        if (!(KvUsageSeconds >= 0))
        {
            errors.Add("routing.kvCost.kvUsageSeconds must be >= 0");
        }

        return errors;
    }
}
