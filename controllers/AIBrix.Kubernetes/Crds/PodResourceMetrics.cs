using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace AIBrix.Kubernetes.Crds;

/// <summary>
/// <c>metrics.k8s.io/v1beta1 PodResourceMetrics</c>: a pod's CPU and memory as metrics-server last measured them. Not a CRD
/// but an aggregated API read through the custom-objects client, so it is typed here with the CRDs.
/// </summary>
public sealed class PodResourceMetrics : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>API group.</summary>
    public const string Group = "metrics.k8s.io";

    /// <summary>API version inside the group.</summary>
    public const string Version = "v1beta1";

    /// <summary>Resource name in URLs.</summary>
    public const string Plural = "pods";

    /// <inheritdoc/>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = Group + "/" + Version;

    /// <inheritdoc/>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "PodMetrics";

    /// <inheritdoc/>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>Usage per container.</summary>
    [JsonPropertyName("containers")]
    public List<ContainerResourceUsage> Containers { get; set; } = [];
}

/// <summary>One container's usage (<c>cpu</c>, <c>memory</c> quantities).</summary>
public sealed class ContainerResourceUsage
{
    /// <summary>The container's name.</summary>
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    /// <summary>Usage by resource name.</summary>
    [JsonPropertyName("usage")]
    public Dictionary<string, ResourceQuantity> Usage { get; set; } = [];
}

/// <summary>A list of <see cref="PodResourceMetrics"/>, as metrics.k8s.io returns it.</summary>
public sealed class PodResourceMetricsList() : CustomResourceList<PodResourceMetrics>(PodResourceMetrics.Group + "/" + PodResourceMetrics.Version, "PodMetricsList")
{
    /// <summary>API group (the list is read with the same permission as its items).</summary>
    public const string Group = PodResourceMetrics.Group;

    /// <summary>Resource name in URLs.</summary>
    public const string Plural = PodResourceMetrics.Plural;
}
