using System.Collections.Frozen;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// Resolves strategy names to policies: a case-insensitive frozen map built once, failing on
/// duplicate names, with the configured default used when a request names none.
/// </summary>
public sealed class RoutingPolicyRegistry
{
    private readonly FrozenDictionary<string, IRoutingPolicy> _byName;

    /// <summary>Builds the registry; throws when two policies share a name or the default is unknown.</summary>
    public RoutingPolicyRegistry(IEnumerable<IRoutingPolicy> policies, string? defaultStrategy)
    {
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

        _default = _byName.TryGetValue(defaultStrategy.Trim(), out var policy)
            ? policy
            : throw new ArgumentException($"default routing strategy '{defaultStrategy}' is not one of: {KnownNames}", nameof(defaultStrategy));
    }

    /// <summary>Known names, comma-separated, for error messages.</summary>
    public string KnownNames { get; }

    /// <summary>The registry with the policies this build ships.</summary>
    public static RoutingPolicyRegistry CreateDefault(string? defaultStrategy, IRandomSource? random = null)
    {
        random ??= SharedRandomSource.Instance;
        return new RoutingPolicyRegistry([new RandomPolicy(random), new LeastRequestPolicy(random)], defaultStrategy);
    }

    /// <summary>Finds a policy by wire name (case-insensitive).</summary>
    public bool TryGet(string name, out IRoutingPolicy policy) => _byName.TryGetValue(name, out policy!);
}
