using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace AIBrix.Kubernetes.Crds;

/// <summary>
/// KubeRay's <c>ray.io/v1 RayCluster</c>, the part the fleet reads: its spec stays JSON (KubeRay's schema), its status
/// the readiness fields. Not our CRD, so it has no <c>Version</c>/<c>KindName</c> constants (the chart tests list
/// ours by those); <see cref="Group"/> and <see cref="Plural"/> name it for the RBAC scan.
/// </summary>
public sealed class RayCluster : IKubernetesObject<V1ObjectMeta>, ISpec<JsonObject?>, IStatus<RayClusterStatus?>
{
    /// <summary>KubeRay's API group.</summary>
    public const string Group = "ray.io";

    /// <summary>KubeRay's API version.</summary>
    public const string ApiVersionName = "v1";

    /// <summary>Resource name in URLs.</summary>
    public const string Plural = "rayclusters";

    /// <summary>Label KubeRay puts on every pod of a cluster: the cluster's name.</summary>
    public const string ClusterLabel = "ray.io/cluster";

    /// <summary>Label KubeRay puts on every pod: <c>head</c> or <c>worker</c>.</summary>
    public const string NodeTypeLabel = "ray.io/node-type";

    /// <summary>KubeRay's condition: every pod was ready once.</summary>
    public const string ProvisionedCondition = "RayClusterProvisioned";

    /// <summary>KubeRay's condition: the head pod is ready now.</summary>
    public const string HeadPodReadyCondition = "HeadPodReady";

    /// <summary>KubeRay's condition: pods could not be created or deleted.</summary>
    public const string ReplicaFailureCondition = "ReplicaFailure";

    /// <inheritdoc/>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = Group + "/" + ApiVersionName;

    /// <inheritdoc/>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "RayCluster";

    /// <inheritdoc/>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <inheritdoc/>
    [JsonPropertyName("spec")]
    public JsonObject? Spec { get; set; }

    /// <inheritdoc/>
    [JsonPropertyName("status")]
    public RayClusterStatus? Status { get; set; }
}

/// <summary>The part of KubeRay's RayCluster status that tells readiness.</summary>
public sealed class RayClusterStatus
{
    /// <summary>KubeRay's coarse state (<c>ready</c>, <c>suspended</c>); the conditions are the newer signal.</summary>
    [JsonPropertyName("state")]
    public string? State { get; set; }

    /// <summary>Worker pods wanted across all groups.</summary>
    [JsonPropertyName("desiredWorkerReplicas")]
    public int? DesiredWorkerReplicas { get; set; }

    /// <summary>Worker pods ready.</summary>
    [JsonPropertyName("readyWorkerReplicas")]
    public int? ReadyWorkerReplicas { get; set; }

    /// <summary>Worker pods running.</summary>
    [JsonPropertyName("availableWorkerReplicas")]
    public int? AvailableWorkerReplicas { get; set; }

    /// <summary>RayClusterProvisioned, HeadPodReady, ReplicaFailure.</summary>
    [JsonPropertyName("conditions")]
    public List<V1Condition>? Conditions { get; set; }

    /// <summary>The head pod's name and addresses.</summary>
    [JsonPropertyName("head")]
    public RayClusterHead? Head { get; set; }
}

/// <summary>Where KubeRay reports the head pod.</summary>
public sealed class RayClusterHead
{
    /// <summary>The head pod's name.</summary>
    [JsonPropertyName("podName")]
    public string? PodName { get; set; }

    /// <summary>The head pod's IP.</summary>
    [JsonPropertyName("podIP")]
    public string? PodIp { get; set; }
}

/// <summary>A list of <see cref="RayCluster"/>, as the API server returns it.</summary>
public sealed class RayClusterList() : CustomResourceList<RayCluster>(RayCluster.Group + "/" + RayCluster.ApiVersionName, "RayClusterList");
