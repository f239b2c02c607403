using System.Text.Json.Serialization;
using k8s.Models;

namespace AIBrix.Kubernetes.Crds;

/// <summary>
/// <c>orchestration.aibrix.ai/v1alpha1 RayClusterFleet</c>: N identical KubeRay Ray clusters behind one name, with a
/// Deployment's semantics: a <see cref="RayClusterReplicaSet"/> per template revision, rolling updates within
/// maxSurge and maxUnavailable, Recreate, pause, rollback and a progress deadline. Its scale subresource selects the
/// fleet's head pods, so <c>kubectl scale</c> and the PodAutoscaler drive it like a Deployment.
/// </summary>
public sealed class RayClusterFleet() : CustomResource<RayClusterFleetSpec, RayClusterFleetStatus>(Group + "/" + Version, KindName)
{
    /// <summary>API group.</summary>
    public const string Group = "orchestration.aibrix.ai";

    /// <summary>API version inside the group.</summary>
    public const string Version = "v1alpha1";

    /// <summary>Resource name in URLs.</summary>
    public const string Plural = "rayclusterfleets";

    /// <summary>Kind.</summary>
    public const string KindName = "RayClusterFleet";
}

/// <summary>The desired state of a <see cref="RayClusterFleet"/>; defaults follow a Deployment's.</summary>
public sealed class RayClusterFleetSpec
{
    /// <summary>Ray clusters to run (default 1).</summary>
    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    /// <summary>Labels of the fleet's RayClusters; must match the template's labels.</summary>
    [JsonPropertyName("selector")]
    public V1LabelSelector Selector { get; set; } = new();

    /// <summary>The RayCluster every replica is made from.</summary>
    [JsonPropertyName("template")]
    public RayClusterTemplate Template { get; set; } = new();

    /// <summary>RollingUpdate (default) or Recreate.</summary>
    [JsonPropertyName("strategy")]
    public FleetStrategy? Strategy { get; set; }

    /// <summary>Seconds a cluster must stay ready before it counts as available (default 0).</summary>
    [JsonPropertyName("minReadySeconds")]
    public int? MinReadySeconds { get; set; }

    /// <summary>Old replica sets kept for rollback (default 10).</summary>
    [JsonPropertyName("revisionHistoryLimit")]
    public int? RevisionHistoryLimit { get; set; }

    /// <summary>Stops rollouts while true; scaling still applies.</summary>
    [JsonPropertyName("paused")]
    public bool? Paused { get; set; }

    /// <summary>Seconds without progress before the rollout is reported stuck (default 600).</summary>
    [JsonPropertyName("progressDeadlineSeconds")]
    public int? ProgressDeadlineSeconds { get; set; }
}

/// <summary>The observed state of a <see cref="RayClusterFleet"/>.</summary>
public sealed class RayClusterFleetStatus
{
    /// <summary>The spec generation this status describes.</summary>
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    /// <summary>RayClusters of every revision.</summary>
    [JsonPropertyName("replicas")]
    public int Replicas { get; set; }

    /// <summary>RayClusters of the current template.</summary>
    [JsonPropertyName("updatedReplicas")]
    public int UpdatedReplicas { get; set; }

    /// <summary>RayClusters KubeRay reports ready (head and all workers).</summary>
    [JsonPropertyName("readyReplicas")]
    public int ReadyReplicas { get; set; }

    /// <summary>Ready for at least minReadySeconds.</summary>
    [JsonPropertyName("availableReplicas")]
    public int AvailableReplicas { get; set; }

    /// <summary>Clusters still needed for the fleet to be fully available.</summary>
    [JsonPropertyName("unavailableReplicas")]
    public int UnavailableReplicas { get; set; }

    /// <summary>Bumped when a template's hash names a replica set of another template.</summary>
    [JsonPropertyName("collisionCount")]
    public int? CollisionCount { get; set; }

    /// <summary>The fleet's head pods as a label selector string (the scale subresource's selector).</summary>
    [JsonPropertyName("selector")]
    public string? Selector { get; set; }

    /// <summary>Available, Progressing, ReplicaFailure (<see cref="FleetConditions"/>).</summary>
    [JsonPropertyName("conditions")]
    public List<FleetCondition>? Conditions { get; set; }
}

/// <summary>A list of <see cref="RayClusterFleet"/>, as the API server returns it.</summary>
public sealed class RayClusterFleetList() : CustomResourceList<RayClusterFleet>(RayClusterFleet.Group + "/" + RayClusterFleet.Version, "RayClusterFleetList");
