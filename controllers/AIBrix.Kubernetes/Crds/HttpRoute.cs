using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace AIBrix.Kubernetes.Crds;

/// <summary>
/// Gateway API <c>gateway.networking.k8s.io/v1 HTTPRoute</c>, an external CRD (installed with Envoy Gateway or the
/// Gateway API bundle). The model router writes the spec whole, so it stays JSON here rather than a typed tree.
/// </summary>
public sealed class HttpRoute : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>API group.</summary>
    public const string Group = "gateway.networking.k8s.io";

    /// <summary>API version inside the group.</summary>
    public const string Version = "v1";

    /// <summary>Resource name in URLs.</summary>
    public const string Plural = "httproutes";

    /// <summary>Kind.</summary>
    public const string KindName = "HTTPRoute";

    /// <inheritdoc/>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = Group + "/" + Version;

    /// <inheritdoc/>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KindName;

    /// <inheritdoc/>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary><c>parentRefs</c>, <c>rules</c> (matches, backendRefs, timeouts) as the Gateway API spells them.</summary>
    [JsonPropertyName("spec")]
    public JsonObject Spec { get; set; } = [];
}

/// <summary>A list of <see cref="HttpRoute"/>s.</summary>
public sealed class HttpRouteList() : CustomResourceList<HttpRoute>(HttpRoute.Group + "/" + HttpRoute.Version, "HTTPRouteList");
