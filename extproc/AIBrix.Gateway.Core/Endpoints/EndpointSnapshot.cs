using System.Collections.Frozen;
using System.Collections.Immutable;

namespace AIBrix.Gateway.Core.Endpoints;

/// <summary>
/// An immutable view of every endpoint and of the ready ones per model (and per LoRA adapter).
/// Built off the hot path and swapped whole; readers take no lock.
/// </summary>
public sealed class EndpointSnapshot
{
    private static readonly Endpoint[] NoEndpoints = [];

    private EndpointSnapshot(
        long version,
        ImmutableArray<Endpoint> all,
        FrozenDictionary<string, Endpoint> byName,
        FrozenDictionary<string, Endpoint[]> readyByModel,
        FrozenSet<string> knownModels)
    {
        Version = version;
        All = all;
        ByName = byName;
        ReadyByModel = readyByModel;
        KnownModels = knownModels;
    }

    /// <summary>An empty snapshot.</summary>
    public static EndpointSnapshot Empty { get; } = Build(0, []);

    /// <summary>Increases with every rebuild.</summary>
    public long Version { get; }

    /// <summary>Every endpoint, ready or not, in configuration order.</summary>
    public ImmutableArray<Endpoint> All { get; }

    /// <summary>Endpoints by unique name.</summary>
    public FrozenDictionary<string, Endpoint> ByName { get; }

    /// <summary>Ready endpoints per model or adapter name.</summary>
    public FrozenDictionary<string, Endpoint[]> ReadyByModel { get; }

    /// <summary>Every model and adapter name served by any endpoint, ready or not.</summary>
    public FrozenSet<string> KnownModels { get; }

    /// <summary>True when some endpoint serves <paramref name="model"/>, ready or not.</summary>
    public bool IsKnownModel(string model) => KnownModels.Contains(model);

    /// <summary>The ready endpoints for a model or adapter; empty when none.</summary>
    public ReadOnlySpan<Endpoint> ReadyFor(string model) =>
        ReadyByModel.TryGetValue(model, out var endpoints) ? endpoints : NoEndpoints;

    /// <summary>Builds a snapshot from endpoints, reading each one's readiness now.</summary>
    public static EndpointSnapshot Build(long version, IEnumerable<Endpoint> endpoints)
    {
        var all = endpoints.ToImmutableArray();
        var byName = all.ToFrozenDictionary(e => e.Name, StringComparer.Ordinal);
        var ready = new Dictionary<string, List<Endpoint>>(StringComparer.Ordinal);
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in all)
        {
            AddModel(endpoint.Model, endpoint);
            foreach (var adapter in endpoint.Spec.Adapters)
            {
                AddModel(adapter, endpoint);
            }
        }

        return new EndpointSnapshot(
            version,
            all,
            byName,
            ready.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal),
            known.ToFrozenSet(StringComparer.Ordinal));

        void AddModel(string model, Endpoint endpoint)
        {
            known.Add(model);
            if (!endpoint.IsReady)
            {
                return;
            }

            if (!ready.TryGetValue(model, out var list))
            {
                ready[model] = list = [];
            }

            list.Add(endpoint);
        }
    }
}
