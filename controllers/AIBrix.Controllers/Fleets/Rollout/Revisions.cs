using System.Globalization;
using AIBrix.Kubernetes.Crds;

namespace AIBrix.Controllers.Fleets.Rollout;

/// <summary>Revision numbers of replica sets (the <c>orchestration.aibrix.ai/revision</c> annotation) and history pruning.</summary>
public static class Revisions
{
    /// <summary>The replica set's revision; 0 when it has none.</summary>
    public static long Of(RayClusterReplicaSet set) =>
        set.Metadata.Annotations?.TryGetValue(FleetLabels.Revision, out var text) == true && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : 0;

    /// <summary>The highest revision among <paramref name="sets"/>, 0 when none.</summary>
    public static long Max(IEnumerable<RayClusterReplicaSet> sets) => sets.Select(Of).DefaultIfEmpty(0).Max();

    /// <summary>Writes <paramref name="revision"/> on the replica set's annotations.</summary>
    public static void Set(RayClusterReplicaSet set, long revision) =>
        (set.Metadata.Annotations ??= new Dictionary<string, string>())[FleetLabels.Revision] = revision.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The old replica sets to delete: scaled to 0 with no clusters left, beyond the <paramref name="limit"/> most recent
    /// such ones (oldest revisions go first).
    /// </summary>
    public static List<RayClusterReplicaSet> Prune(IEnumerable<RayClusterReplicaSet> oldSets, int limit)
    {
        var idle = oldSets.Where(s => (s.Spec.Replicas ?? 0) == 0 && (s.Status?.Replicas ?? 0) == 0 && s.Metadata.DeletionTimestamp is null)
            .OrderBy(Of).ThenBy(s => s.Metadata.Name, StringComparer.Ordinal).ToList();
        return idle.Take(Math.Max(0, idle.Count - Math.Max(0, limit))).ToList();
    }

    /// <summary>
    /// The replica set a rollback goes to: revision <paramref name="target"/>, or for 0 the highest one below the current
    /// revision. Null when there is none.
    /// </summary>
    public static RayClusterReplicaSet? RollbackTarget(IReadOnlyCollection<RayClusterReplicaSet> sets, long current, long target) =>
        target > 0
            ? sets.FirstOrDefault(s => Of(s) == target)
            : sets.Where(s => Of(s) < current).OrderByDescending(Of).FirstOrDefault();
}
