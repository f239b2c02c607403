using System.Text.Json.Serialization;
using k8s.Models;

namespace AIBrix.Kubernetes.Crds;

/// <summary>
/// <c>orchestration.aibrix.ai/v1alpha1 RayClusterReplicaSet</c>: keeps <see cref="RayClusterReplicaSetSpec.Replicas"/>
/// KubeRay RayClusters made from one template. A <see cref="RayClusterFleet"/> owns one per template revision.
/// </summary>
public sealed class RayClusterReplicaSet() : CustomResource<RayClusterReplicaSetSpec, RayClusterReplicaSetStatus>(Group + "/" + Version, KindName)
{
    /// <summary>API group.</summary>
    public const string Group = RayClusterFleet.Group;

    /// <summary>API version inside the group.</summary>
    public const string Version = RayClusterFleet.Version;

    /// <summary>Resource name in URLs.</summary>
    public const string Plural = "rayclusterreplicasets";

    /// <summary>Kind.</summary>
    public const string KindName = "RayClusterReplicaSet";
}

/// <summary>The desired state of a <see cref="RayClusterReplicaSet"/>.</summary>
public sealed class RayClusterReplicaSetSpec
{
    /// <summary>RayClusters to keep (default 1).</summary>
    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    /// <summary>Seconds a cluster must stay ready before it counts as available (default 0).</summary>
    [JsonPropertyName("minReadySeconds")]
    public int? MinReadySeconds { get; set; }

    /// <summary>Labels of its RayClusters.</summary>
    [JsonPropertyName("selector")]
    public V1LabelSelector Selector { get; set; } = new();

    /// <summary>The RayCluster each replica is made from.</summary>
    [JsonPropertyName("template")]
    public RayClusterTemplate Template { get; set; } = new();
}

/// <summary>The observed state of a <see cref="RayClusterReplicaSet"/>.</summary>
public sealed class RayClusterReplicaSetStatus
{
    /// <summary>The spec generation this status describes; the fleet trusts the counts only when it is current.</summary>
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    /// <summary>RayClusters that exist and are not being deleted.</summary>
    [JsonPropertyName("replicas")]
    public int Replicas { get; set; }

    /// <summary>RayClusters KubeRay reports ready (head and all workers).</summary>
    [JsonPropertyName("readyReplicas")]
    public int ReadyReplicas { get; set; }

    /// <summary>Ready for at least minReadySeconds.</summary>
    [JsonPropertyName("availableReplicas")]
    public int AvailableReplicas { get; set; }

    /// <summary>Its head pods as a label selector string (the scale subresource's selector).</summary>
    [JsonPropertyName("selector")]
    public string? Selector { get; set; }

    /// <summary>ReplicaFailure when RayClusters could not be created or deleted.</summary>
    [JsonPropertyName("conditions")]
    public List<FleetCondition>? Conditions { get; set; }
}

/// <summary>A list of <see cref="RayClusterReplicaSet"/>, as the API server returns it.</summary>
public sealed class RayClusterReplicaSetList() : CustomResourceList<RayClusterReplicaSet>(RayClusterReplicaSet.Group + "/" + RayClusterReplicaSet.Version, "RayClusterReplicaSetList");
