namespace AIBrix.Controllers.Fleets;

/// <summary>Settings of the RayClusterFleet and RayClusterReplicaSet controllers.</summary>
public sealed record FleetOptions
{
    /// <summary>Namespaces to watch; empty = all.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>Parallel reconciles per controller.</summary>
    public int Workers { get; init; } = 4;

    /// <summary>
    /// How long a provisioned RayCluster may stay unready before its replica set replaces it (default 2 min). KubeRay
    /// restarts a dead worker pod on its own; only a cluster that stays broken this long is rebuilt.
    /// </summary>
    public TimeSpan UnreadyGracePeriod { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
