namespace AIBrix.Controllers.ModelAdapters;

/// <summary>A candidate pod and how many adapters it holds now.</summary>
public readonly record struct PodLoad(string Pod, int Adapters);

/// <summary>
/// Pure placement: which <c>count</c> pods get the adapter. <c>leastAdapters</c> (default) spreads adapters over pods;
/// <c>binPack</c> fills the busiest pod that still has room, leaving others free; <c>random</c> is uniform.
/// Pods at <c>maxPerPod</c> are never picked; ties break by name so results are stable.
/// </summary>
public static class PlacementPolicy
{
    /// <summary>Default policy.</summary>
    public const string LeastAdapters = "leastAdapters";

    /// <summary>Pack adapters onto as few pods as possible.</summary>
    public const string BinPack = "binPack";

    /// <summary>Uniformly random.</summary>
    public const string Random = "random";

    /// <summary>Every known policy name.</summary>
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { LeastAdapters, BinPack, Random, "default" };

    /// <summary>Whether <paramref name="name"/> is a known policy (null/empty = default).</summary>
    public static bool IsKnown(string? name) => string.IsNullOrEmpty(name) || Names.Contains(name);

    /// <summary>Picks up to <paramref name="count"/> distinct pods.</summary>
    public static IReadOnlyList<string> Pick(string? policy, IReadOnlyList<PodLoad> candidates, int count, int maxPerPod, System.Random random)
    {
        var open = candidates.Where(c => c.Adapters < maxPerPod);
        IEnumerable<PodLoad> ordered = policy?.ToLowerInvariant() switch
        {
            "binpack" => open.OrderByDescending(c => c.Adapters).ThenBy(c => c.Pod, StringComparer.Ordinal),
            "random" => open.OrderBy(c => c.Pod, StringComparer.Ordinal).Select(c => (c, k: random.Next())).OrderBy(x => x.k).Select(x => x.c),
            _ => open.OrderBy(c => c.Adapters).ThenBy(c => c.Pod, StringComparer.Ordinal),
        };
        return ordered.Take(Math.Max(0, count)).Select(c => c.Pod).ToList();
    }
}
