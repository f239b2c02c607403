using k8s.Models;

namespace AIBrix.Kubernetes.Runtime;

/// <summary>Whether a pod may receive traffic or adapters.</summary>
public static class PodReadiness
{
    /// <summary>Running, Ready, has an IP and is not being deleted.</summary>
    public static bool IsServing(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is null
        && pod.Status?.Phase == "Running"
        && !string.IsNullOrEmpty(pod.Status.PodIP)
        && pod.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
}
