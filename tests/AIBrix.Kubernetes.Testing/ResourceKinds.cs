using System.Collections.Concurrent;

namespace AIBrix.Kubernetes.Testing;

/// <summary>
/// Where a resource keeps the replica counts its <c>scale</c> subresource reads and writes, as a CRD declares them in
/// <c>subresources.scale</c>: JSON paths such as <c>.spec.replicas</c>, <c>.status.replicas</c> and, optionally, the
/// path of a label selector string (<c>.status.selector</c>). Built-in workloads (Deployments, StatefulSets,
/// ReplicaSets) read their selector from <c>spec.selector</c> instead (<see cref="SelectorFromSpec"/>).
/// </summary>
public sealed record ScaleSubresource(string SpecReplicasPath, string StatusReplicasPath, string? LabelSelectorPath, bool SelectorFromSpec = false)
{
    /// <summary>The scale subresource of apps/v1 workloads.</summary>
    public static ScaleSubresource Apps { get; } = new(".spec.replicas", ".status.replicas", null, SelectorFromSpec: true);
}

/// <summary>What the server knows of one resource: its kind and which subresources it serves.</summary>
/// <param name="Kind">The kind of its objects (<c>Deployment</c>).</param>
/// <param name="HasStatus">Whether it has a status subresource: then the main resource ignores status changes, status
/// writes ignore everything else, and create drops the status it is given.</param>
/// <param name="Scale">The scale subresource, or null when it has none.</param>
public sealed record ResourceKind(string Kind, bool HasStatus, ScaleSubresource? Scale = null);

/// <summary>
/// The resources the fake API server knows by their store key (<c>apis/apps/v1/deployments</c>). Unknown resources
/// still work as plain objects (kind guessed from the plural, no subresources), as the server always did; tests
/// register custom resources as their CRDs declare them.
/// </summary>
public sealed class ResourceKinds
{
    private readonly ConcurrentDictionary<string, ResourceKind> _kinds = new(StringComparer.Ordinal);

    /// <summary>Creates the registry with the built-in resources the controllers use.</summary>
    public ResourceKinds()
    {
        Register("api/v1", "pods", new ResourceKind("Pod", HasStatus: true));
        Register("api/v1", "services", new ResourceKind("Service", HasStatus: true));
        Register("api/v1", "events", new ResourceKind("Event", HasStatus: false));
        Register("apis/discovery.k8s.io/v1", "endpointslices", new ResourceKind("EndpointSlice", HasStatus: false));
        Register("apis/coordination.k8s.io/v1", "leases", new ResourceKind("Lease", HasStatus: false));
        Register("apis/apps/v1", "deployments", new ResourceKind("Deployment", HasStatus: true, ScaleSubresource.Apps));
        Register("apis/apps/v1", "statefulsets", new ResourceKind("StatefulSet", HasStatus: true, ScaleSubresource.Apps));
        Register("apis/apps/v1", "replicasets", new ResourceKind("ReplicaSet", HasStatus: true, ScaleSubresource.Apps));
        Register("apis/autoscaling/v2", "horizontalpodautoscalers", new ResourceKind("HorizontalPodAutoscaler", HasStatus: true));
        Register("apis/gateway.networking.k8s.io/v1", "httproutes", new ResourceKind("HTTPRoute", HasStatus: true));
        Register("apis/inference.networking.k8s.io/v1", "inferencepools", new ResourceKind("InferencePool", HasStatus: true));
        Register("apis/model.aibrix.ai/v1alpha1", "modeladapters", new ResourceKind("ModelAdapter", HasStatus: true));
        var fleetScale = new ScaleSubresource(".spec.replicas", ".status.replicas", ".status.selector");
        Register("apis/orchestration.aibrix.ai/v1alpha1", "rayclusterfleets", new ResourceKind("RayClusterFleet", HasStatus: true, fleetScale));
        Register("apis/orchestration.aibrix.ai/v1alpha1", "rayclusterreplicasets", new ResourceKind("RayClusterReplicaSet", HasStatus: true, fleetScale));
        Register("apis/ray.io/v1", "rayclusters", new ResourceKind("RayCluster", HasStatus: true)); // KubeRay's CRD
    }

    /// <summary>Declares (or redeclares) a resource, e.g. a custom resource with status and scale subresources.</summary>
    public void Register(string apiPath, string plural, ResourceKind kind) => _kinds[ApiRoute.KeyOf(apiPath, plural)] = kind;

    /// <summary>The resource at <paramref name="key"/>; an unregistered one is a plain resource named after its plural.</summary>
    internal ResourceKind Of(string key, string plural) =>
        _kinds.TryGetValue(key, out var kind) ? kind : new ResourceKind(GuessKind(plural), HasStatus: false);

    private static string GuessKind(string plural) =>
        char.ToUpperInvariant(plural[0]) + (plural.EndsWith("ies", StringComparison.Ordinal) ? plural[1..^3] + "y" : plural[1..^1]);
}
