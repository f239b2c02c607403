using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace AIBrix.Kubernetes.Crds;

/// <summary>
/// The gateway-api-inference-extension's <c>inference.networking.k8s.io/v1 InferencePool</c> (an external CRD, installed
/// with GIE): the model-server pods a GIE-conformant gateway balances over, and the endpoint picker it asks. Only the
/// fields the gateway reads are typed; names follow GIE's v1 Go types.
/// </summary>
public sealed class InferencePool : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>API group.</summary>
    public const string Group = "inference.networking.k8s.io";

    /// <summary>API version inside the group.</summary>
    public const string Version = "v1";

    /// <summary>Resource name in URLs.</summary>
    public const string Plural = "inferencepools";

    /// <summary>Kind.</summary>
    public const string KindName = "InferencePool";

    /// <summary>The endpoint picker's port when <see cref="EndpointPickerRef.Port"/> is unset (GIE's default).</summary>
    public const int DefaultPickerPort = 9002;

    /// <inheritdoc/>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = Group + "/" + Version;

    /// <inheritdoc/>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KindName;

    /// <inheritdoc/>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>The pool.</summary>
    [JsonPropertyName("spec")]
    public InferencePoolSpec Spec { get; set; } = new();
}

/// <summary>The desired state of an <see cref="InferencePool"/>.</summary>
public sealed class InferencePoolSpec
{
    /// <summary>The member pods, by label, in the pool's namespace.</summary>
    [JsonPropertyName("selector")]
    public InferencePoolSelector Selector { get; set; } = new();

    /// <summary>The pods' serving port (v1 allows exactly one).</summary>
    [JsonPropertyName("targetPorts")]
    public IList<InferencePoolPort> TargetPorts { get; set; } = [];

    /// <summary>The endpoint picker (this gateway, in extproc mode) the proxy asks.</summary>
    [JsonPropertyName("endpointPickerRef")]
    public EndpointPickerRef? EndpointPickerRef { get; set; }
}

/// <summary>GIE's label selector: <c>matchLabels</c> only, so it maps to a Service selector.</summary>
public sealed class InferencePoolSelector
{
    /// <summary>Labels every member pod carries.</summary>
    [JsonPropertyName("matchLabels")]
    public IDictionary<string, string> MatchLabels { get; set; } = new Dictionary<string, string>();
}

/// <summary>A port of the pool's pods.</summary>
public sealed class InferencePoolPort
{
    /// <summary>1-65535.</summary>
    [JsonPropertyName("number")]
    public int Number { get; set; }
}

/// <summary>Where the endpoint picker is: a Service (by default) and its port.</summary>
public sealed class EndpointPickerRef
{
    /// <summary>API group of the referent ("" = core).</summary>
    [JsonPropertyName("group")]
    public string? Group { get; set; }

    /// <summary>Kind of the referent (default Service).</summary>
    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    /// <summary>Name of the referent.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>The picker's port, <c>port.number</c> (default <see cref="InferencePool.DefaultPickerPort"/>).</summary>
    [JsonPropertyName("port")]
    public InferencePoolPort? Port { get; set; }

    /// <summary>FailOpen or FailClose (default).</summary>
    [JsonPropertyName("failureMode")]
    public string? FailureMode { get; set; }
}

/// <summary>A list of <see cref="InferencePool"/>s.</summary>
public sealed class InferencePoolList() : CustomResourceList<InferencePool>(InferencePool.Group + "/" + InferencePool.Version, "InferencePoolList");
