using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Runtime;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace AIBrix.Gateway.Discovery;

/// <summary>
/// Publishes the mapped endpoint list to <c>publish</c> (e.g. <see cref="EndpointRegistry.Apply"/>) after the first sync
/// and after every change, from one of two sources: model pods (label <c>model.aibrix.ai/name</c>) and ModelAdapters in
/// the given namespaces (all when empty), or the members of one GIE <see cref="InferencePool"/>
/// (<see cref="ForInferencePool"/>). Publishes are serialised and coalesced.
/// </summary>
internal sealed class KubernetesEndpointDiscovery
{
    private readonly List<Func<CancellationToken, Task>> _runs = [];
    private readonly List<Func<Task>> _synced = [];
    private readonly Action<IReadOnlyList<EndpointSpec>> _publish;
    private readonly SemaphoreSlim _changed = new(0, 1);
    private Func<IReadOnlyList<EndpointSpec>> _snapshot = () => [];
    private long _publishes;

    /// <summary>Creates the informers of labelled model pods and ModelAdapters; nothing runs until <see cref="RunAsync"/>.</summary>
    public KubernetesEndpointDiscovery(IKubernetes client, IReadOnlyList<string> namespaces, Action<IReadOnlyList<EndpointSpec>> publish,
        InformerOptions? options = null, ILoggerFactory? loggers = null)
        : this(publish)
    {
        var pods = new List<Informer<V1Pod>>();
        var adapters = new List<Informer<ModelAdapter>>();
        var scopes = namespaces.Count == 0 ? [null] : namespaces.Select(n => (string?)n).ToArray();
        foreach (var ns in scopes)
        {
            pods.Add(Watch(new Informer<V1Pod>(ResourceApis.Pods(client, ns, ModelLabels.Name), options, loggers?.CreateLogger("AIBrix.Discovery.Pods"))));
            adapters.Add(Watch(AdapterInformer(client, ns, options, loggers)));
        }

        _snapshot = () => PodEndpointMapper.Map(pods.SelectMany(i => i.Items), adapters.SelectMany(i => i.Items));
    }

    private KubernetesEndpointDiscovery(Action<IReadOnlyList<EndpointSpec>> publish) => _publish = publish;

    /// <summary>Endpoint lists published so far.</summary>
    public long Publishes => Interlocked.Read(ref _publishes);

    /// <summary>
    /// Discovery from the InferencePool <paramref name="pool"/> in <paramref name="namespace"/>: the pods its
    /// <c>selector</c> matches, on its <c>targetPorts[0].number</c>; ModelAdapters of that namespace as usual. No pool
    /// (not yet created, or deleted) means no endpoints.
    /// </summary>
    public static KubernetesEndpointDiscovery ForInferencePool(IKubernetes client, string @namespace, string pool, Action<IReadOnlyList<EndpointSpec>> publish,
        InformerOptions? options = null, ILoggerFactory? loggers = null)
    {
        var discovery = new KubernetesEndpointDiscovery(publish);
        var pools = discovery.Watch(new Informer<InferencePool>(
            ResourceApis.Custom<InferencePool, InferencePoolList>(client, InferencePool.Group, InferencePool.Version, InferencePool.Plural, @namespace),
            options, loggers?.CreateLogger("AIBrix.Discovery.InferencePools")));
        // Every pod of the namespace: the pool's selector may change at any time, and then no relist is needed.
        var pods = discovery.Watch(new Informer<V1Pod>(ResourceApis.Pods(client, @namespace, null), options, loggers?.CreateLogger("AIBrix.Discovery.Pods")));
        var adapters = discovery.Watch(AdapterInformer(client, @namespace, options, loggers));
        discovery._snapshot = () => pools.TryGet(@namespace + "/" + pool, out var p) && p is not null
            ? InferencePoolMembers.Map(p, pods.Items, adapters.Items)
            : [];
        return discovery;
    }

    /// <summary>The endpoints as of now.</summary>
    public IReadOnlyList<EndpointSpec> Snapshot() => _snapshot();

    /// <summary>Runs the watches and publishes until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var informers = _runs.Select(r => r(cancellationToken)).ToList();
        var synced = Task.WhenAll(_synced.Select(s => s()));
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

    private static Informer<ModelAdapter> AdapterInformer(IKubernetes client, string? ns, InformerOptions? options, ILoggerFactory? loggers) =>
        new(ResourceApis.Custom<ModelAdapter, ModelAdapterList>(client, ModelAdapter.Group, ModelAdapter.Version, ModelAdapter.Plural, ns),
            options, loggers?.CreateLogger("AIBrix.Discovery.ModelAdapters"));

    private Informer<T> Watch<T>(Informer<T> informer)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        informer.Changed += (_, _) => Signal();
        _runs.Add(informer.RunAsync);
        _synced.Add(() => informer.Synced);
        return informer;
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
