using AIBrix.Kubernetes.Crds;

namespace AIBrix.Controllers.Fleets.ReplicaSets;

/// <summary>What a replica set knows of one of its RayClusters.</summary>
/// <param name="Cluster">The RayCluster.</param>
/// <param name="Ready">KubeRay reports it provisioned, its head pod ready and every worker ready.</param>
/// <param name="ReadySince">When it last became ready (the later of the Provisioned and HeadPodReady transitions).</param>
/// <param name="Available">Ready for at least minReadySeconds.</param>
/// <param name="Broken">It was provisioned once and is not ready now: a candidate for replacement after the grace period.</param>
internal sealed record ClusterState(RayCluster Cluster, bool Ready, DateTime? ReadySince, bool Available, bool Broken)
{
    /// <summary>The cluster's name.</summary>
    public string Name => Cluster.Metadata.Name;
}

/// <summary>Reads KubeRay's status of a RayCluster into <see cref="ClusterState"/>.</summary>
internal static class ClusterReadiness
{
    /// <summary>Classifies <paramref name="cluster"/> at <paramref name="now"/>.</summary>
    public static ClusterState Classify(RayCluster cluster, int minReadySeconds, DateTime now)
    {
        var status = cluster.Status;
        var provisioned = status?.Conditions?.FirstOrDefault(c => c.Type == RayCluster.ProvisionedCondition);
        var head = status?.Conditions?.FirstOrDefault(c => c.Type == RayCluster.HeadPodReadyCondition);
        bool wasProvisioned = provisioned?.Status == "True";
        bool workersReady = (status?.ReadyWorkerReplicas ?? 0) >= (status?.DesiredWorkerReplicas ?? 0);
        bool ready = wasProvisioned && head?.Status == "True" && workersReady;
        DateTime? since = ready ? Later(provisioned!.LastTransitionTime, head!.LastTransitionTime) : null;
        bool available = ready && (minReadySeconds <= 0 || since is null || since.Value.AddSeconds(minReadySeconds) <= now);
        return new ClusterState(cluster, ready, since, available, wasProvisioned && !ready);
    }

    /// <summary>When a ready cluster that is not available yet becomes available; null when it is (or never will be without a change).</summary>
    public static DateTime? AvailableAt(ClusterState state, int minReadySeconds) =>
        state.Ready && !state.Available && state.ReadySince is { } since ? since.AddSeconds(minReadySeconds) : null;

    private static DateTime? Later(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : (a > b ? a : b);
}
