using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Runtime;
using k8s.Models;

namespace AIBrix.Controllers.ModelAdapters.Steps;

/// <summary>Step, on delete: unload from every listed pod that still serves, then release the finalizer.</summary>
internal sealed class AdapterFinalizer(AdapterStore store, PodEngines engines, Func<IEnumerable<V1Pod>> pods)
{
    /// <summary>
    /// Unloads everywhere; an engine that refuses for a reason a retry may fix throws, so the queue retries with
    /// backoff and the adapter is not released while an engine may still hold it.
    /// </summary>
    public async Task FinalizeAsync(ModelAdapter adapter, CancellationToken cancellationToken)
    {
        if (adapter.Metadata.Finalizers?.Contains(ModelAdapter.Finalizer) != true)
        {
            return;
        }

        string? apiKey = AdapterSpecs.ApiKey(adapter.Spec);
        var inNamespace = pods().Where(p => p.Metadata.NamespaceProperty == adapter.Metadata.NamespaceProperty).ToDictionary(p => p.Metadata.Name, StringComparer.Ordinal);
        foreach (var instance in adapter.Status?.Instances ?? [])
        {
            if (inNamespace.TryGetValue(instance, out var pod) && PodReadiness.IsServing(pod))
            {
                var (result, detail) = await engines.UnloadAsync(pod, adapter.Metadata.Name, apiKey, cancellationToken);
                if (result == EngineCallResult.Transient)
                {
                    throw new InvalidOperationException($"unload from {instance} failed: {detail}");
                }
            }
        }

        await store.ReleaseFinalizerAsync(adapter, cancellationToken);
    }
}
