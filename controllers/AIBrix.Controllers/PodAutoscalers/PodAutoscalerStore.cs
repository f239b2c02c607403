using System.Net;
using AIBrix.Kubernetes.Crds;
using k8s;
using k8s.Autorest;

namespace AIBrix.Controllers.PodAutoscalers;

/// <summary>The PodAutoscaler's status in the API server: written only when it changed, re-read once on a stale version.</summary>
internal sealed class PodAutoscalerStore(IKubernetes client)
{
    /// <summary>A deep copy of <paramref name="status"/> to build the next one in (the informer's object stays untouched).</summary>
    public static PodAutoscalerStatus Copy(PodAutoscalerStatus? status) =>
        status is null ? new PodAutoscalerStatus() : KubernetesJson.Deserialize<PodAutoscalerStatus>(KubernetesJson.Serialize(status));

    /// <summary>Writes <paramref name="status"/> unless it equals what <paramref name="pa"/> holds; true when written.</summary>
    public async Task<bool> WriteStatusAsync(PodAutoscaler pa, PodAutoscalerStatus status, CancellationToken cancellationToken)
    {
        if (pa.Status is not null && KubernetesJson.Serialize(pa.Status) == KubernetesJson.Serialize(status))
        {
            return false;
        }

        var update = new PodAutoscaler { Metadata = pa.Metadata, Spec = pa.Spec, Status = status };
        try
        {
            await ReplaceAsync(update, cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Our cache was a version behind (an annotation edit, our own last write): the status is ours alone to
            // write, so take the stored version and write again once.
            var stored = await client.CustomObjects.GetNamespacedCustomObjectAsync<PodAutoscaler>(PodAutoscaler.Group, PodAutoscaler.Version,
                pa.Metadata.NamespaceProperty, PodAutoscaler.Plural, pa.Metadata.Name, cancellationToken);
            stored.Status = status;
            await ReplaceAsync(stored, cancellationToken);
        }

        return true;
    }

    private Task<PodAutoscaler> ReplaceAsync(PodAutoscaler pa, CancellationToken cancellationToken) =>
        client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<PodAutoscaler>(pa, PodAutoscaler.Group, PodAutoscaler.Version,
            pa.Metadata.NamespaceProperty, PodAutoscaler.Plural, pa.Metadata.Name, cancellationToken: cancellationToken);
}
