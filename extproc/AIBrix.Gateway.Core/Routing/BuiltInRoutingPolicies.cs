using AIBrix.Gateway.Core.Routing.KvEvents;
using AIBrix.Gateway.Core.Routing.Prefix;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// The policies this build ships, over what they share (one random source, the routing options, the
/// clock, and the prefix index both prefix policies read). A host registers each of <see cref="Policies"/>
/// as an <see cref="IRoutingPolicy"/> next to any policy of its own; the registry takes them all.
/// </summary>
public sealed class BuiltInRoutingPolicies
{
    // One factory per policy: adding a built-in policy is one line here, nothing else.
    private static readonly Func<BuiltInRoutingPolicies, IRoutingPolicy>[] Factories =
    [
        s => new RandomPolicy(s.Random),
        s => new LeastRequestPolicy(s.Random, s.Options, s.Time),
        s => new ThroughputPolicy(s.Random, s.Options, s.Time),
        s => new LeastKvCachePolicy(s.Random, s.Options, s.Time),
        s => new LeastGpuCachePolicy(s.Random, s.Options, s.Time),
        s => new LeastBusyTimePolicy(s.Random, s.Options, s.Time),
        s => new LeastLatencyPolicy(s.Random, s.Options, s.Time),
        s => new PowerOfTwoPolicy(s.Random),
        s => new PrefixCachePolicy(s.PrefixIndex, s.Hasher, s.Options, s.Random),
        s => new PrefixCachePreblePolicy(s.PrefixIndex, s.Hasher, s.Options, s.Random),
        s => new PrefixCacheEventsPolicy(s.Overlap, s.Options, s.Random),
        s => new KvCostPolicy(s.Overlap, s.Options, s.Random, s.Time, s.PrefillClocks),
        s => new SessionAffinityPolicy(s.Random),
        s => new VtcBasicPolicy(s.Random, s.Options, s.Time),
    ];

    /// <summary>Builds every built-in policy.</summary>
    public BuiltInRoutingPolicies(RoutingOptions? options = null, TimeProvider? time = null, IRandomSource? random = null,
        KvBlockIndex? kvBlocks = null, IEngineBlockHasher? engineHasher = null, PrefillClocks? prefillClocks = null)
    {
        PrefillClocks = prefillClocks ?? new PrefillClocks();
        Options = options ?? RoutingOptions.Default;
        Time = time ?? TimeProvider.System;
        Random = random ?? SharedRandomSource.Instance;
        PrefixIndex = new PrefixIndex(Options.PrefixCache, Time);
        Hasher = new PrefixHasher(Options.PrefixCache);
        KvBlocks = kvBlocks ?? new KvBlockIndex(Options.KvEvents, Time);
        Overlap = new CacheOverlap(KvBlocks, engineHasher, PrefixIndex, Hasher);
        var policies = new IRoutingPolicy[Factories.Length];
        for (int i = 0; i < policies.Length; i++)
        {
            policies[i] = Factories[i](this);
        }

        Policies = policies;
    }

    /// <summary>How many policies ship (the length of <see cref="Policies"/>).</summary>
    public static int Count => Factories.Length;

    /// <summary>The policies, one instance each.</summary>
    public IReadOnlyList<IRoutingPolicy> Policies { get; }

    /// <summary><c>kv-cost</c>'s per-pod prefill clocks (its own unless shared with other routers).</summary>
    public PrefillClocks PrefillClocks { get; }

    /// <summary>The routing options they were built with.</summary>
    public RoutingOptions Options { get; }

    /// <summary>The prefix index the prefix policies share.</summary>
    public PrefixIndex PrefixIndex { get; }

    /// <summary>The engines' KV-cache blocks from their events (empty until a host feeds it).</summary>
    public KvBlockIndex KvBlocks { get; }

    /// <summary>The random source they share.</summary>
    public IRandomSource Random { get; }

    private TimeProvider Time { get; }

    private PrefixHasher Hasher { get; }

    private CacheOverlap Overlap { get; }
}
