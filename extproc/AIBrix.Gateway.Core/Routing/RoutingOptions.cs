using AIBrix.Gateway.Core.Routing.Prefix;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>Settings of the routing policies (the YAML <c>routing</c> section).</summary>
public sealed record RoutingOptions
{
    /// <summary>The defaults.</summary>
    public static RoutingOptions Default { get; } = new();

    /// <summary>Prefix index.</summary>
    public PrefixCacheOptions PrefixCache { get; init; } = new();

    /// <summary>Hot-spot guards.</summary>
    public LoadGuardOptions LoadGuard { get; init; } = new();

    /// <summary>The KV-event block index (<c>prefix-cache-events</c>, <c>kv-cost</c>).</summary>
    public KvEvents.KvBlockIndexOptions KvEvents { get; init; } = new();

    /// <summary>Where the engines' KV event streams are and which block hash the gateway computes (live subscriptions).</summary>
    public KvEvents.KvEventSourceOptions KvEventSources { get; init; } = new();

    /// <summary>The <c>kv-cost</c> strategy's TTFT model.</summary>
    public KvEvents.KvCostOptions KvCost { get; init; } = new();

    /// <summary>
    /// Engine metrics older than this make metric-driven policies fall back (default 2 s: 40 scrapes at the
    /// default 50 ms interval; the config loader raises it to 3 scrape intervals when scrapes are slower).
    /// </summary>
    public TimeSpan MetricsStaleAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Output tokens assumed when a request sets no <c>max_tokens</c> (default 128), for latency and token-load estimates.</summary>
    public int DefaultOutputTokens { get; init; } = 128;
}
