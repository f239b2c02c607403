using AIBrix.EngineMetrics;
using AIBrix.EngineSim;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing;

namespace AIBrix.Bench.Replay;

/// <summary>
/// One gateway replica of a virtual replay: its own endpoint registry (so its own in-flight counts and its own
/// view of the scraped metrics), its own routing policies (so its own prefix index) and its own randomness,
/// over the same pods as every other replica. Replicas share nothing, as separate gateway pods do.
/// </summary>
internal sealed class GatewayReplica
{
    private readonly EndpointRegistry _registry = new();
    private readonly string[] _names;

    public GatewayReplica(ReplayOptions options, int index, string[] names, TimeProvider clock, OracleRoutingPolicy oracle)
    {
        _names = names;
        var specs = new List<EndpointSpec>(names.Length);
        for (int i = 0; i < names.Length; i++)
        {
            specs.Add(new EndpointSpec(names[i], $"10.0.0.{i + 1}:8000", options.Model, EngineKind.Vllm, null,
                new Dictionary<string, string>(), []));
        }

        _registry.Apply(specs);
        // Replica 0 draws exactly what a single gateway draws, so one replica reproduces the old runs.
        var random = new SeededRandomSource(unchecked(options.Seed + index * 7919));
        IRoutingPolicy custom = options.CustomPolicy?.Invoke(random) is { } policy && string.Equals(policy.Name, options.Policy, StringComparison.OrdinalIgnoreCase)
            ? policy
            : oracle;
        Router = ReplayRouter.Create(options.Policy, _registry, random, clock, options.Model, custom);
    }

    /// <summary>The replica's request path.</summary>
    public ReplayRouter Router { get; }

    /// <summary>What this replica's scraper would publish now: the engines' state at <paramref name="at"/>.</summary>
    public void Scrape(EngineModel[] engines, DateTimeOffset at)
    {
        for (int i = 0; i < engines.Length; i++)
        {
            var engine = engines[i];
            var counters = engine.Counters;
            _registry.OnScraped(_names[i], new EngineMetricsSnapshot
            {
                Running = engine.RunningCount,
                Waiting = engine.WaitingCount,
                KvCacheUsage = engine.KvCacheUsage,
                PrefixCacheQueries = counters.PrefixCacheQueries,
                PrefixCacheHits = counters.PrefixCacheHits,
                PrefixCacheHitRate = counters.PrefixCacheQueries == 0 ? 0 : (double)counters.PrefixCacheHits / counters.PrefixCacheQueries,
                PromptTokens = counters.PromptTokens,
                GenerationTokens = counters.GenerationTokens,
                Preemptions = counters.Preemptions,
            }, at);
        }
    }
}
