using AIBrix.EngineSim;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing;

namespace AIBrix.Bench.Replay;

/// <summary>
/// <c>oracle-ttft</c>: reads the engines' real state and sends the request where its first token is predicted
/// soonest: the engine's pending prefill (running and waiting prompts not yet computed) plus this request's
/// truly uncached tokens, run through the engine's own step-time model in steps of its token budget, each step
/// also decoding the running sequences. No gateway knows this much; it bounds what <c>kv-cost</c> could reach.
/// </summary>
public sealed class OracleTtftRoutingPolicy(IReadOnlyDictionary<string, EngineModel> engines, IRandomSource random) : IRoutingPolicy
{
    /// <summary>The policy's name on the command line.</summary>
    public const string PolicyName = "oracle-ttft";

    /// <inheritdoc/>
    public string Name => PolicyName;

    /// <summary>Block hashes of the request being routed (set by the replay just before routing).</summary>
    public ulong[] CurrentBlockHashes { get; set; } = [];

    /// <summary>Prompt tokens of the request being routed.</summary>
    public int CurrentPromptTokens { get; set; }

    /// <inheritdoc/>
    public Endpoint Pick(RoutingRequest request, ReadOnlySpan<Endpoint> candidates)
    {
        int start = random.Next(candidates.Length), best = start;
        double bestTtft = double.PositiveInfinity;
        for (int k = 0; k < candidates.Length; k++)
        {
            int i = (start + k) % candidates.Length;
            double ttft = PredictedTtft(engines[candidates[i].Name]);
            if (ttft < bestTtft)
            {
                (best, bestTtft) = (i, ttft);
            }
        }

        request.Reason = $"predicted ttft {bestTtft * 1000:F1} ms";
        return candidates[best];
    }

    /// <summary>Seconds until this request's first token on <paramref name="engine"/>, from its real queue and cache.</summary>
    public double PredictedTtft(EngineModel engine)
    {
        int cached = 0;
        while (cached < CurrentBlockHashes.Length && engine.IsBlockCached(CurrentBlockHashes[cached]))
        {
            cached++;
        }

        int budget = engine.Config.MaxNumBatchedTokens;
        // vLLM recomputes at least the last token, so a fully cached prompt still takes one step.
        long remaining = engine.PendingPrefillTokens() + Math.Max(1, CurrentPromptTokens - (cached * engine.Config.BlockSize));
        int decoding = engine.RunningCount;
        double seconds = 0;
        while (remaining > 0)
        {
            int chunk = (int)Math.Min(budget, remaining);
            seconds += engine.Config.Profile.StepSeconds(new StepWork(chunk, decoding, 0, 0));
            remaining -= chunk;
        }

        return seconds;
    }
}
