using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Runtime;
using k8s;

namespace AIBrix.Controllers.ModelAdapters.Steps;

/// <summary>The ModelAdapter object in the API server: read it, hold or release its finalizer, write its status when it changed.</summary>
internal sealed class AdapterStore(IKubernetes client)
{
    /// <summary>The adapter, or null when it is gone.</summary>
    public Task<ModelAdapter?> GetAsync(string ns, string name, CancellationToken cancellationToken) =>
        ApiReads.OrNullAsync(() => client.CustomObjects.GetNamespacedCustomObjectAsync<ModelAdapter>(ModelAdapter.Group, ModelAdapter.Version, ns, ModelAdapter.Plural, name, cancellationToken));

    /// <summary>Step: hold the finalizer, so a delete waits for the unloads. Returns the adapter as stored.</summary>
    public async Task<ModelAdapter> EnsureFinalizerAsync(ModelAdapter adapter, CancellationToken cancellationToken)
    {
        if (adapter.Metadata.Finalizers?.Contains(ModelAdapter.Finalizer) == true)
        {
            return adapter;
        }

        (adapter.Metadata.Finalizers ??= []).Add(ModelAdapter.Finalizer);
        return await ReplaceAsync(adapter, cancellationToken);
    }

    /// <summary>Releases the finalizer, letting the API server delete the adapter.</summary>
    public async Task ReleaseFinalizerAsync(ModelAdapter adapter, CancellationToken cancellationToken)
    {
        adapter.Metadata.Finalizers?.Remove(ModelAdapter.Finalizer);
        await ReplaceAsync(adapter, cancellationToken);
    }

    /// <summary>
    /// Step: write status only when it changed. An unchanged status is not written: no write, no watch event, so no
    /// reconcile loop.
    /// </summary>
    public async Task WriteStatusAsync(ModelAdapter adapter, ModelAdapterStatus status, CancellationToken cancellationToken)
    {
        if (StatusSnapshot.Same(adapter.Status, status))
        {
            return;
        }

        adapter.Status = status;
        await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<ModelAdapter>(adapter, ModelAdapter.Group, ModelAdapter.Version,
            adapter.Metadata.NamespaceProperty, ModelAdapter.Plural, adapter.Metadata.Name, cancellationToken: cancellationToken);
    }

    private Task<ModelAdapter> ReplaceAsync(ModelAdapter adapter, CancellationToken cancellationToken) =>
        client.CustomObjects.ReplaceNamespacedCustomObjectAsync<ModelAdapter>(adapter, ModelAdapter.Group, ModelAdapter.Version,
            adapter.Metadata.NamespaceProperty, ModelAdapter.Plural, adapter.Metadata.Name, cancellationToken: cancellationToken);
}
