namespace AIBrix.Controllers.Fleets.ReplicaSets;

/// <summary>
/// Which RayClusters a replica set removes first when it has too many, as a ReplicaSet ranks pods: not ready before
/// ready, then the most recently ready, then the youngest, then by name so the choice is stable.
/// </summary>
internal static class ScaleDownOrder
{
    /// <summary>The <paramref name="count"/> clusters to delete.</summary>
    public static List<ClusterState> Pick(IEnumerable<ClusterState> clusters, int count) =>
        clusters
            .OrderBy(c => c.Ready ? 1 : 0)
            .ThenByDescending(c => c.ReadySince ?? DateTime.MaxValue)
            .ThenByDescending(c => c.Cluster.Metadata.CreationTimestamp ?? DateTime.MaxValue)
            .ThenByDescending(c => c.Name, StringComparer.Ordinal)
            .Take(Math.Max(0, count))
            .ToList();
}
