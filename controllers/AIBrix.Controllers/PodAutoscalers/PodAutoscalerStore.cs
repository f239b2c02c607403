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

    /// <summary>The status to build the next one from: the one last written when there is one, else the cached object's.</summary>
    public static PodAutoscalerStatus Base(PodAutoscaler pa, string? written) =>
        written is null ? Copy(pa.Status) : KubernetesJson.Deserialize<PodAutoscalerStatus>(written);

    /// <summary>
    /// Writes <paramref name="status"/> unless it equals the one last written (<paramref name="written"/>) or, when none
    /// was, the cached object's; returns the status as now stored (JSON).
    /// </summary>
    public async Task<string> WriteStatusAsync(PodAutoscaler pa, PodAutoscalerStatus status, string? written, CancellationToken cancellationToken)
    {
        string json = KubernetesJson.Serialize(status);
        if (json == (written ?? (pa.Status is null ? null : KubernetesJson.Serialize(pa.Status))))
        {
            return json;
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

        return json;
    }

    private Task<PodAutoscaler> ReplaceAsync(PodAutoscaler pa, CancellationToken cancellationToken) =>
        client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<PodAutoscaler>(pa, PodAutoscaler.Group, PodAutoscaler.Version,
            pa.Metadata.NamespaceProperty, PodAutoscaler.Plural, pa.Metadata.Name, cancellationToken: cancellationToken);
}
