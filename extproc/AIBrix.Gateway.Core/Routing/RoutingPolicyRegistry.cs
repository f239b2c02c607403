using System.Collections.Concurrent;
using System.Collections.Frozen;
using AIBrix.Gateway.Core.Routing.Prefix;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// Resolves strategy names to policies: a case-insensitive frozen map built once, failing on
/// duplicate names, with the configured default used when a request names none.
/// </summary>
public sealed class RoutingPolicyRegistry
{
    private const int MaxCachedMixes = 64;
    private readonly FrozenDictionary<string, IRoutingPolicy> _byName;
    private readonly ConcurrentDictionary<string, IRoutingPolicy> _mixes = new(StringComparer.OrdinalIgnoreCase);
    private readonly IRandomSource _random;

    /// <summary>Builds the registry; throws when two policies share a name or the default is unknown.</summary>
    public RoutingPolicyRegistry(IEnumerable<IRoutingPolicy> policies, string? defaultStrategy, IRandomSource? random = null)
    {
        _random = random ?? SharedRandomSource.Instance;
        var map = new Dictionary<string, IRoutingPolicy>(StringComparer.OrdinalIgnoreCase);
        foreach (var policy in policies)
        {
            if (!map.TryAdd(policy.Name, policy))
            {
                throw new ArgumentException($"two routing policies are named '{policy.Name}'", nameof(policies));
            }
        }

        _byName = map.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        KnownNames = string.Join(", ", _byName.Keys.Order(StringComparer.Ordinal));
        SetDefault(defaultStrategy);
    }

    private volatile IRoutingPolicy? _default;

    /// <summary>The default policy, or null when routing is left to the route (per-model HTTPRoute).</summary>
    public IRoutingPolicy? Default => _default;

    /// <summary>Changes the default (a config reload); null or empty leaves routing to the route.</summary>
    public void SetDefault(string? defaultStrategy)
    {
        if (string.IsNullOrWhiteSpace(defaultStrategy))
        {
            _default = null;
            return;
        }

        _default = TryGet(defaultStrategy.Trim(), out var policy)
            ? policy
            : throw new ArgumentException($"default routing strategy '{defaultStrategy}' is not one of: {KnownNames}", nameof(defaultStrategy));
    }

    /// <summary>Known names, comma-separated, for error messages.</summary>
    public string KnownNames { get; }

    /// <summary>The registry with the policies this build ships.</summary>
    public static RoutingPolicyRegistry CreateDefault(
        string? defaultStrategy,
        IRandomSource? random = null,
        RoutingOptions? options = null,
        TimeProvider? time = null,
        KvEvents.KvBlockIndex? kvBlocks = null,
        KvEvents.IEngineBlockHasher? engineHasher = null,
        KvEvents.PrefillClocks? prefillClocks = null) =>
        Create(new BuiltInRoutingPolicies(options, time, random, kvBlocks, engineHasher, prefillClocks), [], defaultStrategy);

    /// <summary>
    /// The registry over the built-in policies plus <paramref name="extra"/> ones (a host's own, registered
    /// through dependency injection); a name used twice fails here, at start.
    /// </summary>
    public static RoutingPolicyRegistry Create(BuiltInRoutingPolicies builtIn, IEnumerable<IRoutingPolicy> extra, string? defaultStrategy)
    {
        ArgumentNullException.ThrowIfNull(builtIn);
        ArgumentNullException.ThrowIfNull(extra);
        return new RoutingPolicyRegistry(builtIn.Policies.Concat(extra), defaultStrategy, builtIn.Random)
        {
            PrefixIndex = builtIn.PrefixIndex,
            DefaultOutputTokens = builtIn.Options.DefaultOutputTokens,
        };
    }

    /// <summary>Output tokens assumed for a request without <c>max_tokens</c>, in token-load accounting.</summary>
    public int DefaultOutputTokens { get; private init; } = RoutingOptions.Default.DefaultOutputTokens;

    /// <summary>The prefix index shared by the prefix policies (null in a registry built by hand).</summary>
    public PrefixIndex? PrefixIndex { get; private init; }

    /// <summary>Finds a policy by wire name (case-insensitive), or builds a weighted mix such as <c>prefix-cache:2,least-request:1</c>.</summary>
    public bool TryGet(string name, out IRoutingPolicy policy) => TryResolve(name, out policy, out _);

    /// <summary>
    /// Like <see cref="TryGet"/>, with the reason a weighted mix does not parse in <paramref name="error"/>
    /// (null when the name is simply unknown).
    /// </summary>
    public bool TryResolve(string name, out IRoutingPolicy policy, out string? error)
    {
        ArgumentNullException.ThrowIfNull(name);
        error = null;
        if (_byName.TryGetValue(name, out policy!) || _mixes.TryGetValue(name, out policy!))
        {
            return true;
        }

        if (name.IndexOfAny([':', ',']) < 0)
        {
            return false;
        }

        if (!WeightedStrategy.TryParse(name, n => _byName.GetValueOrDefault(n) as IRoutingScorer, out var parts, out error))
        {
            return false;
        }

        policy = new WeightedPolicy(parts, _random);
        if (_mixes.Count < MaxCachedMixes)
        {
            _mixes.TryAdd(name, policy);
        }

        return true;
    }
}
