using k8s.Models;

namespace AIBrix.Controllers.PodAutoscalers;

/// <summary>
/// A PodAutoscaler's <c>scaleTargetRef</c> resolved to the URL parts of its scale subresource
/// (<c>/apis/{Group}/{Version}/namespaces/{Namespace}/{Plural}/{Name}/scale</c>). Any kind with a scale subresource
/// works (Deployment, StatefulSet, a RayClusterFleet): the plural follows Kubernetes' rule for kinds, nothing is
/// hard-coded per kind.
/// </summary>
internal sealed record ScaleTarget(string Group, string Version, string Plural, string Kind, string Namespace, string Name)
{
    /// <summary>The kinds the chart's ClusterRole lets the controller scale; another kind needs its own <c>{plural}/scale</c> grant.</summary>
    public static readonly IReadOnlyList<(string ApiVersion, string Kind)> GrantedKinds = [("apps/v1", "Deployment"), ("apps/v1", "StatefulSet")];

    /// <summary>The identity two PodAutoscalers conflict on.</summary>
    public string Key => $"{Group}/{Plural}/{Namespace}/{Name}";

    /// <summary>Resolves <paramref name="reference"/> in <paramref name="ns"/>, or says why it can't be.</summary>
    public static bool TryResolve(V1ObjectReference? reference, string ns, out ScaleTarget? target, out string? error)
    {
        target = null;
        if (reference is null || string.IsNullOrWhiteSpace(reference.Kind) || string.IsNullOrWhiteSpace(reference.Name))
        {
            error = "spec.scaleTargetRef: kind and name are required";
            return false;
        }

        string apiVersion = string.IsNullOrWhiteSpace(reference.ApiVersion) ? DefaultApiVersion(reference.Kind) : reference.ApiVersion.Trim();
        int slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == apiVersion.Length - 1)
        {
            error = $"spec.scaleTargetRef.apiVersion: '{apiVersion}' must be group/version (core-group kinds are not scaled)";
            return false;
        }

        if (!string.IsNullOrEmpty(reference.NamespaceProperty) && reference.NamespaceProperty != ns)
        {
            error = $"spec.scaleTargetRef.namespace: '{reference.NamespaceProperty}' differs from the PodAutoscaler's namespace '{ns}'";
            return false;
        }

        error = null;
        target = new ScaleTarget(apiVersion[..slash], apiVersion[(slash + 1)..], PluralOf(reference.Kind), reference.Kind, ns, reference.Name);
        return true;
    }

    /// <summary>Kubernetes' plural of a kind: lower-case, +s (+es after s, y → ies).</summary>
    public static string PluralOf(string kind)
    {
        string lower = kind.Trim().ToLowerInvariant();
        return lower.EndsWith('s') ? lower + "es" : lower.EndsWith('y') ? lower[..^1] + "ies" : lower + "s";
    }

    // AIBrix manifests often leave apiVersion out for the apps/v1 workloads.
    private static string DefaultApiVersion(string kind) =>
        kind is "Deployment" or "StatefulSet" or "ReplicaSet" ? "apps/v1" : "";

    /// <inheritdoc/>
    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}
