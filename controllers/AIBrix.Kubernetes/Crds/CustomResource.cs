using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace AIBrix.Kubernetes.Crds;

/// <summary>
/// The envelope every custom resource with a typed spec and status shares (apiVersion, kind, metadata, spec, status);
/// a kind derives from it with its apiVersion and kind and adds its constants.
/// </summary>
/// <typeparam name="TSpec">The desired state; a new resource starts with an empty one.</typeparam>
/// <typeparam name="TStatus">The observed state; null until a controller writes it.</typeparam>
public abstract class CustomResource<TSpec, TStatus>(string apiVersion, string kind)
    : IKubernetesObject<V1ObjectMeta>, ISpec<TSpec>, IStatus<TStatus?>
    where TSpec : new()
    where TStatus : class
{
    /// <inheritdoc/>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = apiVersion;

    /// <inheritdoc/>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = kind;

    /// <inheritdoc/>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <inheritdoc/>
    [JsonPropertyName("spec")]
    public TSpec Spec { get; set; } = new();

    /// <inheritdoc/>
    [JsonPropertyName("status")]
    public TStatus? Status { get; set; }
}

/// <summary>A list of resources as the API server returns it; each kind's list derives from it with its apiVersion and kind.</summary>
/// <typeparam name="TItem">The listed resource.</typeparam>
public abstract class CustomResourceList<TItem>(string apiVersion, string kind) : IKubernetesObject<V1ListMeta>, IItems<TItem>
{
    /// <inheritdoc/>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = apiVersion;

    /// <inheritdoc/>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = kind;

    /// <inheritdoc/>
    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    /// <inheritdoc/>
    [JsonPropertyName("items")]
    public IList<TItem> Items { get; set; } = [];
}
