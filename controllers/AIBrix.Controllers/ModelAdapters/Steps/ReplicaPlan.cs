using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Runtime;

namespace AIBrix.Controllers.ModelAdapters.Steps;

/// <summary>Where to load the missing replicas, and the Scheduled condition that says so (null leaves it as it is).</summary>
internal sealed record Placement(IReadOnlyList<string> Picks, AdapterCondition? Condition)
{
    /// <summary>Nothing to place.</summary>
    public static readonly Placement None = new([], null);
}

/// <summary>Steps: scale down and schedule. Pure decisions of which pods lose the adapter and which gain it.</summary>
internal static class ReplicaPlan
{
    /// <summary>
    /// The instances beyond <paramref name="replicas"/>, in the order they are unloaded: from the end of the list
    /// (status lists instances by name, so the last names go first).
    /// </summary>
    public static IReadOnlyList<string> Extras(IReadOnlyList<string> instances, int replicas) =>
        instances.Skip(replicas).Reverse().ToList();

    /// <summary>
    /// Picks pods for the replicas <paramref name="instances"/> lacks, among <paramref name="candidates"/> that do not
    /// hold it yet, by <paramref name="policy"/> over how many adapters each pod holds for <paramref name="others"/>
    /// (the adapter <paramref name="key"/> itself left out).
    /// </summary>
    public static Placement Schedule(
        string key, IReadOnlyCollection<string> instances, int replicas, IEnumerable<string> candidates, IEnumerable<ModelAdapter> others,
        string? policy, int maxPerPod, Random random)
    {
        if (instances.Count >= replicas)
        {
            return Placement.None;
        }

        var load = AdaptersPerPod(others, key);
        var open = candidates.Where(c => !instances.Contains(c))
            .Select(c => new PodLoad(c, load.GetValueOrDefault(c)))
            .ToList();
        var picks = PlacementPolicy.Pick(policy, open, replicas - instances.Count, maxPerPod, random);
        if (picks.Count > 0)
        {
            return new(picks, new(AdapterCondition.Scheduled, true, "Scheduled", "placed on " + string.Join(",", picks)));
        }

        return instances.Count == 0
            ? new(picks, new(AdapterCondition.Scheduled, false, "NoCandidates", "no ready pod matches the selector"))
            : new(picks, null);
    }

    private static Dictionary<string, int> AdaptersPerPod(IEnumerable<ModelAdapter> adapters, string exceptKey)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var a in adapters)
        {
            if (Informer<ModelAdapter>.KeyOf(a) == exceptKey)
            {
                continue;
            }

            foreach (var pod in a.Status?.Instances ?? [])
            {
                counts[pod] = counts.GetValueOrDefault(pod) + 1;
            }
        }

        return counts;
    }
}
