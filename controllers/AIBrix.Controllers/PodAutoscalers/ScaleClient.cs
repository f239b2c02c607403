using System.Globalization;
using AIBrix.Kubernetes.Runtime;
using k8s;
using k8s.Models;

namespace AIBrix.Controllers.PodAutoscalers;

/// <summary>Reads and writes the <c>scale</c> subresource of any <see cref="ScaleTarget"/> (autoscaling/v1 <c>Scale</c>).</summary>
internal sealed class ScaleClient(IKubernetes client)
{
    /// <summary>The target's scale, or null when the target does not exist.</summary>
    public Task<V1Scale?> ReadAsync(ScaleTarget target, CancellationToken cancellationToken) =>
        ApiReads.OrNullAsync(() => client.CustomObjects.GetNamespacedCustomObjectScaleAsync<V1Scale>(
            target.Group, target.Version, target.Namespace, target.Plural, target.Name, cancellationToken));

    /// <summary>
    /// Sets <c>spec.replicas</c>, guarded by the resourceVersion read with it: if someone else scaled in between, the
    /// write fails with 409 and the next reconcile decides again from what is there.
    /// </summary>
    public Task<V1Scale> WriteAsync(ScaleTarget target, V1Scale read, int replicas, CancellationToken cancellationToken)
    {
        string? version = read.Metadata?.ResourceVersion;
        string guard = string.IsNullOrEmpty(version) ? "" : $"\"metadata\":{{\"resourceVersion\":\"{version}\"}},";
        string patch = string.Create(CultureInfo.InvariantCulture, $"{{{guard}\"spec\":{{\"replicas\":{replicas}}}}}");
        return client.CustomObjects.PatchNamespacedCustomObjectScaleAsync<V1Scale>(new V1Patch(patch, V1Patch.PatchType.MergePatch),
            target.Group, target.Version, target.Namespace, target.Plural, target.Name, cancellationToken: cancellationToken);
    }
}
