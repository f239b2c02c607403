namespace AIBrix.Controllers.ColdStart;

/// <summary>
/// Pure: from what each node reported and which artifact each model uses, per model the nodes that hold it and in
/// which tier, and the label changes that make the Nodes say so. A model's artifact is the one named by its pods'
/// <see cref="ColdStartLabels.ArtifactAnnotation"/>, or one whose name, or the last segment of it, is the model's
/// name (case-insensitive). Labels under <see cref="ColdStartLabels.Prefix"/> that no longer hold are removed;
/// other labels are never touched.
/// </summary>
public static class NodeArtifactPlan
{
    /// <summary>Per model: node → tier (memory or disk), for the nodes whose report holds the model's artifact.</summary>
    public static Dictionary<string, Dictionary<string, string>> Holdings(
        IReadOnlyDictionary<string, string?> models, IReadOnlyDictionary<string, IReadOnlyList<ReportedArtifact>> reports)
    {
        var holdings = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (model, artifact) in models)
        {
            var nodes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (node, artifacts) in reports)
            {
                var held = artifacts.Where(a => Matches(model, artifact, a.Name)).MaxBy(a => Rank(a.Tier));
                if (held is not null && Rank(held.Tier) > 0)
                {
                    nodes[node] = held.Tier;
                }
            }

            holdings[model] = nodes;
        }

        return holdings;
    }

    /// <summary>
    /// The label changes per node (value null = remove): every node in <paramref name="current"/> (its labels under
    /// the prefix) or in <paramref name="holdings"/> gets exactly the labels the holdings say.
    /// </summary>
    public static Dictionary<string, Dictionary<string, string?>> Changes(
        IReadOnlyDictionary<string, Dictionary<string, string>> holdings, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> current)
    {
        var wanted = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (model, nodes) in holdings)
        {
            foreach (var (node, tier) in nodes)
            {
                if (!wanted.TryGetValue(node, out var labels))
                {
                    wanted[node] = labels = new Dictionary<string, string>(StringComparer.Ordinal);
                }

                labels[ColdStartLabels.KeyOf(model)] = tier;
            }
        }

        var changes = new Dictionary<string, Dictionary<string, string?>>(StringComparer.Ordinal);
        foreach (string node in wanted.Keys.Union(current.Keys))
        {
            var want = wanted.GetValueOrDefault(node) ?? [];
            var have = current.GetValueOrDefault(node) ?? new Dictionary<string, string>();
            var patch = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var (key, value) in want)
            {
                if (!have.TryGetValue(key, out var old) || old != value)
                {
                    patch[key] = value;
                }
            }

            foreach (var key in have.Keys.Where(k => k.StartsWith(ColdStartLabels.Prefix, StringComparison.Ordinal) && !want.ContainsKey(k)))
            {
                patch[key] = null;
            }

            if (patch.Count > 0)
            {
                changes[node] = patch;
            }
        }

        return changes;
    }

    /// <summary>Tiers as the runtime spells them (<c>memory</c>, <c>disk</c>), ranked; anything else is not held.</summary>
    private static int Rank(string? tier) => tier switch { "memory" => 2, "disk" => 1, _ => 0 };

    private static bool Matches(string model, string? artifact, string name)
    {
        if (artifact is not null && string.Equals(name, artifact.Trim('/'), StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        int slash = name.LastIndexOf('/');
        return string.Equals(name, model, StringComparison.OrdinalIgnoreCase) || string.Equals(name[(slash + 1)..], model, StringComparison.OrdinalIgnoreCase);
    }
}
