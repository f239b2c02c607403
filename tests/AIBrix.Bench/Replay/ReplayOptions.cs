using AIBrix.Gateway.Core.Routing;

namespace AIBrix.Bench.Replay;

/// <summary>One replay: which trace, how many pods, which policy, and how time runs.</summary>
public sealed record ReplayOptions
{
    /// <summary>Trace file (Mooncake .jsonl or Azure .csv) or a generated workload (<c>gen:NAME?k=v&amp;...</c>).</summary>
    public required string TracePath { get; init; }

    /// <summary>Simulated engines (pods).</summary>
    public int Pods { get; init; } = 4;

    /// <summary>Routing strategy: any name or weighted mix the gateway knows, or <c>oracle</c>.</summary>
    public string Policy { get; init; } = "random";

    /// <summary>Seed of every random choice (policies' tie-breaks, random routing).</summary>
    public int Seed { get; init; }

    /// <summary>Arrivals are divided by this: 2 replays the trace twice as fast (twice the load).</summary>
    public double TimeScale { get; init; } = 1;

    /// <summary>First N requests of the trace only.</summary>
    public int? Limit { get; init; }

    /// <summary>How often the policies' view of engine metrics is refreshed (the live gateway's scrape interval, 50 ms).</summary>
    public double ScrapeIntervalSeconds { get; init; } = 0.05;

    /// <summary>KV-cache capacity per engine in 16-token blocks (the simulator's H100 default).</summary>
    public int NumGpuBlocks { get; init; } = 29_952;

    /// <summary>
    /// Context length of every engine (vLLM <c>--max-model-len</c>, the simulator's default): a longer request gets
    /// the engine's 400 and is counted as rejected.
    /// </summary>
    public int MaxModelLen { get; init; } = 32_768;

    /// <summary>
    /// Gateway replicas: requests are spread round-robin, each replica keeps its own routing state (in-flight
    /// counts, prefix index, randomness) and scrapes the engines itself, as in a real deployment.
    /// </summary>
    public int Gateways { get; init; } = 1;

    /// <summary>
    /// Whether the gateway replicas share <c>kv-cost</c>'s per-pod prefill clocks (one <see cref="AIBrix.Gateway.Core.Routing.KvEvents.PrefillClocks"/>
    /// for all, with no delay: the bound a shared store such as a Redis counter per pod would approach).
    /// </summary>
    public bool SharePrefillClocks { get; init; }

    /// <summary>
    /// Whether <c>kv-cost</c> reads the engines' queued prefill tokens (the simulator's <c>aibrix:pending_prefill_tokens</c>,
    /// <c>routing.kvCost.useEnginePrefillQueue</c>): every replica then sees the engine's whole prefill queue, as of its scrape.
    /// </summary>
    public bool EnginePrefillQueue { get; init; }

    /// <summary>Most gateway replicas a replay runs.</summary>
    public const int MaxGateways = 64;

    /// <summary>
    /// A heterogeneous fleet for virtual replays: one name and engine configuration per pod (e.g. the roofline of an
    /// A10 for some pods and of an L20 for others). Null gives every pod the default engine sized by
    /// <see cref="NumGpuBlocks"/> and <see cref="MaxModelLen"/>. When set, its count must equal <see cref="Pods"/>.
    /// </summary>
    public IReadOnlyList<FleetPod>? Fleet { get; init; }

    /// <summary>
    /// A bench-only routing policy, built once per gateway replica from the replica's seeded randomness, used when
    /// <see cref="Policy"/> names it (as <c>oracle</c> is); null for none. <c>gpu-plan</c> plugs in the optimizer's split.
    /// </summary>
    public Func<IRandomSource, IRoutingPolicy>? CustomPolicy { get; init; }

    /// <summary>Model name in the requests and on the endpoints.</summary>
    public string Model { get; init; } = "meta-llama/Llama-3.1-8B-Instruct";

    /// <summary>The policy, with the replica count when more than one gateway routes (report and plot labels).</summary>
    public string Label => LabelOf(Policy, Gateways);

    /// <summary>Whether the strategy reads the engines' KV-cache events (then every replica subscribes to every pod).</summary>
    public bool UsesKvEvents =>
        Policy.Contains(RoutingPolicies.PrefixCacheEvents, StringComparison.OrdinalIgnoreCase)
        || Policy.Contains(RoutingPolicies.KvCost, StringComparison.OrdinalIgnoreCase);

    /// <summary>"policy" for one gateway, "policy ×N gateways" for N.</summary>
    public static string LabelOf(string policy, int gateways) => gateways == 1 ? policy : $"{policy} ×{gateways} gateways";

    /// <summary>Collects the problems with these options (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Pods < 1)
        {
            errors.Add("--pods must be at least 1");
        }

        if (!(TimeScale > 0) || double.IsInfinity(TimeScale))
        {
            errors.Add("--time-scale must be a positive number");
        }

        if (Limit is < 1)
        {
            errors.Add("--limit must be at least 1");
        }

        if (!(ScrapeIntervalSeconds > 0))
        {
            errors.Add("--scrape-interval-ms must be positive");
        }

        if (MaxModelLen < 2)
        {
            errors.Add("--max-model-len must be at least 2");
        }

        if (Gateways is < 1 or > MaxGateways)
        {
            errors.Add($"--gateways must be between 1 and {MaxGateways}");
        }

        if (Fleet is not null && Fleet.Count != Pods)
        {
            errors.Add($"the fleet has {Fleet.Count} pods but --pods is {Pods}");
        }

        if (string.IsNullOrWhiteSpace(Policy))
        {
            errors.Add("--policy is required");
        }

        return errors;
    }
}
