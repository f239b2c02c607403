using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Runtime;
using k8s.Models;

namespace AIBrix.Controllers.ModelAdapters.Steps;

/// <summary>Step: select candidate pods. Pure.</summary>
internal static class CandidateSelection
{
    /// <summary>
    /// Serving pods in <paramref name="ns"/> that match the spec's selector (by default, the base model's label), by name.
    /// </summary>
    public static Dictionary<string, V1Pod> Select(ModelAdapterSpec spec, string ns, IEnumerable<V1Pod> pods)
    {
        var selector = spec.PodSelector ?? new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [ModelLabels.Name] = spec.BaseModel ?? "" } };
        return pods
            .Where(p => p.Metadata.NamespaceProperty == ns && PodReadiness.IsServing(p) && LabelSelectors.Matches(selector, p.Metadata.Labels))
            .ToDictionary(p => p.Metadata.Name, StringComparer.Ordinal);
    }
}
