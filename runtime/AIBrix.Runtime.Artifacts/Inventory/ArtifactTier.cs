namespace AIBrix.Runtime.Artifacts.Inventory;

/// <summary>Where a node holds an artifact, as <c>GET /v1/artifacts</c> and the node labels spell it.</summary>
public static class ArtifactTiers
{
    /// <summary>Resident in the page cache: a pod loads it at memory speed.</summary>
    public const string Memory = "memory";

    /// <summary>On the node's disk, mostly not in the page cache.</summary>
    public const string Disk = "disk";

    /// <summary>Not on the node (the controllers' word for nodes that report nothing).</summary>
    public const string Remote = "remote";

    /// <summary>Rank for comparisons: memory 2, disk 1, anything else 0.</summary>
    public static int Rank(string? tier) => tier switch { Memory => 2, Disk => 1, _ => 0 };
}
