using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Runtime;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace AIBrix.Gateway.Discovery;

/// <summary>
/// Watches model pods (label <c>model.aibrix.ai/name</c>) and ModelAdapters in the given namespaces (all when empty)
/// and publishes the mapped endpoint list to <c>publish</c> (e.g. <see cref="EndpointRegistry.Apply"/>) after the
/// first sync and after every change. Publishes are serialised and coalesced.
/// </summary>
internal sealed class KubernetesEndpointDiscovery
{
    private readonly List<Informer<V1Pod>> _pods = [];
    private readonly List<Informer<ModelAdapter>> _adapters = [];
    private readonly Action<IReadOnlyList<EndpointSpec>> _publish;
    private readonly SemaphoreSlim _changed = new(0, 1);
    private long _publishes;

    /// <summary>Creates the informers; nothing runs until <see cref="RunAsync"/>.</summary>
    public KubernetesEndpointDiscovery(IKubernetes client, IReadOnlyList<string> namespaces, Action<IReadOnlyList<EndpointSpec>> publish,
        InformerOptions? options = null, ILoggerFactory? loggers = null)
    {
        _publish = publish;
        var scopes = namespaces.Count == 0 ? [null] : namespaces.Select(n => (string?)n).ToArray();
        foreach (var ns in scopes)
        {
            var pods = new Informer<V1Pod>(ResourceApis.Pods(client, ns, ModelLabels.Name), options, loggers?.CreateLogger("AIBrix.Discovery.Pods"));
            var adapters = new Informer<ModelAdapter>(
                ResourceApis.Custom<ModelAdapter, ModelAdapterList>(client, ModelAdapter.Group, ModelAdapter.Version, ModelAdapter.Plural, ns),
                options, loggers?.CreateLogger("AIBrix.Discovery.ModelAdapters"));
            pods.Changed += (_, _) => Signal();
            adapters.Changed += (_, _) => Signal();
            _pods.Add(pods);
            _adapters.Add(adapters);
        }
    }

    /// <summary>Endpoint lists published so far.</summary>
    public long Publishes => Interlocked.Read(ref _publishes);

    /// <summary>The endpoints as of now.</summary>
    public IReadOnlyList<EndpointSpec> Snapshot() =>
        PodEndpointMapper.Map(_pods.SelectMany(i => i.Items), _adapters.SelectMany(i => i.Items));

    /// <summary>Runs the watches and publishes until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var informers = _pods.Select(i => i.RunAsync(cancellationToken)).Concat(_adapters.Select(i => i.RunAsync(cancellationToken))).ToList();
        var synced = Task.WhenAll(_pods.Select(i => i.Synced).Concat(_adapters.Select(i => i.Synced)));
        try
        {
            await synced.WaitAsync(cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                _publish(Snapshot());
                Interlocked.Increment(ref _publishes);
                await _changed.WaitAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(informers);
    }

    private void Signal()
    {
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // already signalled: the next publish covers this change too
        }
    }
}
