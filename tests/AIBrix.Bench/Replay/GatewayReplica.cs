using AIBrix.EngineMetrics;
using AIBrix.EngineSim;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing;
using AIBrix.Gateway.Core.Routing.KvEvents;
using AIBrix.Gateway.KvEvents;
using AIBrix.KvEvents;

namespace AIBrix.Bench.Replay;

/// <summary>
/// One gateway replica of a virtual replay: its own endpoint registry (so its own in-flight counts and its own
/// view of the scraped metrics), its own routing policies (so its own prefix index) and its own randomness,
/// over the same pods as every other replica. Replicas share nothing, as separate gateway pods do.
/// </summary>
internal sealed class GatewayReplica
{
    private readonly EndpointRegistry _registry = new();
    private readonly string _model;
    // The pods this replica routes to: (name, index into the replay's engines).
    private List<(string Name, int Index)> _pods = [];
    private readonly bool _enginePrefillQueue;

    public GatewayReplica(ReplayOptions options, int index, string[] names, TimeProvider clock, IReadOnlyList<IRoutingPolicy> oracles,
        PrefillClocks? sharedClocks = null)
    {
        _model = options.Model;
        SetPods([.. names.Select((n, i) => (n, i))]);
        // Replica 0 draws exactly what a single gateway draws, so one replica reproduces the old runs.
        var random = new SeededRandomSource(unchecked(options.Seed + index * 7919));
        IRoutingPolicy custom = options.CustomPolicy?.Invoke(random) is { } policy && string.Equals(policy.Name, options.Policy, StringComparison.OrdinalIgnoreCase)
            ? policy
            : oracles.FirstOrDefault(o => string.Equals(o.Name, options.Policy, StringComparison.OrdinalIgnoreCase)) ?? oracles[0];
        KvBlocks = new KvBlockIndex(new KvBlockIndexOptions(), clock);
        _enginePrefillQueue = options.EnginePrefillQueue;
        var routing = options.EnginePrefillQueue
            ? RoutingOptions.Default with { KvCost = RoutingOptions.Default.KvCost with { UseEnginePrefillQueue = true } }
            : null;
        Router = ReplayRouter.Create(options.Policy, _registry, random, clock, options.Model, custom, KvBlocks, new SimEngineBlockHasher(),
            routing, sharedClocks);
    }

    /// <summary>This replica's view of the engines' caches, from their KV-cache events (empty unless it follows them).</summary>
    public KvBlockIndex KvBlocks { get; }

    /// <summary>Subscribes this replica's index to pod <paramref name="name"/>'s event stream, as a gateway subscribes per endpoint.</summary>
    public void Follow(string name, InProcessKvEventStream stream)
    {
        var feed = new PodBlocksFeed(KvBlocks.ForPod(name));
        stream.Subscribe((_, batch) => batch.Accept(feed));
    }

    /// <summary>The replica's request path.</summary>
    public ReplayRouter Router { get; }

    /// <summary>
    /// The pods to route to from now on (the service's ready endpoints): a pod left out stops getting requests at
    /// once, a new one starts not ready until <see cref="Scrape"/> sees it, as with the live registry.
    /// </summary>
    public void SetPods(List<(string Name, int Index)> pods)
    {
        _pods = pods;
        var specs = new List<EndpointSpec>(pods.Count);
        foreach (var (name, i) in pods)
        {
            specs.Add(new EndpointSpec(name, $"10.0.{i / 250}.{(i % 250) + 1}:8000", _model, EngineKind.Vllm, null,
                new Dictionary<string, string>(), []));
        }

        _registry.Apply(specs);
    }

    /// <summary>What this replica's scraper would publish now: its pods' engines' state at <paramref name="at"/>.</summary>
    public void Scrape(IReadOnlyList<EngineModel> engines, DateTimeOffset at)
    {
        foreach (var (name, index) in _pods)
        {
            var engine = engines[index];
            var counters = engine.Counters;
            _registry.OnScraped(name, new EngineMetricsSnapshot
            {
                Running = engine.RunningCount,
                Waiting = engine.WaitingCount,
                PendingPrefillTokens = _enginePrefillQueue ? engine.PendingUncachedPrefillTokens() : null,
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
