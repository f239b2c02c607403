using AIBrix.Controllers.Hosting;
using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Runtime;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace AIBrix.Controllers.ModelAdapters;

/// <summary>
/// Wires the ModelAdapter controller: informers on ModelAdapters and pods feed a coalescing <see cref="WorkQueue"/>
/// drained by <see cref="ModelAdapterReconciler"/>. A pod change queues the adapters of its namespace that either list
/// that pod or still miss replicas, so a dead or restarted pod gets its adapters placed again.
/// </summary>
public sealed class ModelAdapterController : IManagedController, IDisposable
{
    private readonly List<Informer<ModelAdapter>> _adapters = [];
    private readonly List<Informer<V1Pod>> _pods = [];
    private readonly ControllerLoop _loop;

    /// <summary>Creates the controller; nothing runs until <see cref="RunAsync"/>.</summary>
    public ModelAdapterController(IKubernetes client, EngineAdapterClient engines, ModelAdapterOptions options, ILoggerFactory loggers,
        InformerOptions? informerOptions = null, Backoff? queueBackoff = null)
    {
        informerOptions ??= new InformerOptions { Time = options.Time };
        Queue = new WorkQueue(queueBackoff, options.Time);
        var scopes = options.Namespaces.Count == 0 ? [null] : options.Namespaces.Select(n => (string?)n).ToArray();
        foreach (var ns in scopes)
        {
            var adapters = new Informer<ModelAdapter>(
                ResourceApis.Custom<ModelAdapter, ModelAdapterList>(client, ModelAdapter.Group, ModelAdapter.Version, ModelAdapter.Plural, ns),
                informerOptions, loggers.CreateLogger("AIBrix.ModelAdapter.Informer"));
            var pods = new Informer<V1Pod>(ResourceApis.Pods(client, ns, null), informerOptions, loggers.CreateLogger("AIBrix.ModelAdapter.PodInformer"));
            adapters.Changed += (type, a) =>
            {
                if (type != WatchEventType.Deleted)
                {
                    Queue.Add(Informer<ModelAdapter>.KeyOf(a));
                }
            };
            pods.Changed += (_, pod) => OnPodChanged(pod);
            _adapters.Add(adapters);
            _pods.Add(pods);
        }

        Reconciler = new ModelAdapterReconciler(client, () => _pods.SelectMany(p => p.Items), () => _adapters.SelectMany(a => a.Items), engines,
            new EventRecorder(client, "aibrix-modeladapter-controller", options.Time, loggers.CreateLogger("AIBrix.Events")), options,
            loggers.CreateLogger<ModelAdapterReconciler>());
        _loop = new ControllerLoop("modeladapter", Queue, Reconciler, options.Workers, loggers.CreateLogger<ControllerLoop>());
    }

    /// <summary>The queue (exposed for metrics and tests).</summary>
    public WorkQueue Queue { get; }

    /// <summary>The reconciler.</summary>
    public ModelAdapterReconciler Reconciler { get; }

    /// <inheritdoc/>
    public string Name => ControllerNames.ModelAdapter;

    /// <inheritdoc/>
    public int QueueDepth => Queue.Count;

    /// <summary>Reconciles run so far.</summary>
    public long Reconciles => _loop.Reconciles;

    /// <summary>Reconciles that threw.</summary>
    public long Errors => _loop.Errors;

    /// <summary>The cached adapters.</summary>
    public IEnumerable<ModelAdapter> Adapters => _adapters.SelectMany(a => a.Items);

    /// <summary>Runs informers and workers until cancelled; workers start after the caches sync.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await _loop.RunWithInformersAsync([.. _adapters, .. _pods], () => Adapters.Select(Informer<ModelAdapter>.KeyOf), cancellationToken);
    }

    /// <inheritdoc/>
    public void Dispose() => Queue.Dispose();

    private void OnPodChanged(V1Pod pod)
    {
        string ns = pod.Metadata.NamespaceProperty ?? "";
        foreach (var adapter in _adapters.SelectMany(a => a.Items))
        {
            if (adapter.Metadata.NamespaceProperty != ns)
            {
                continue;
            }

            var status = adapter.Status;
            bool listsPod = status?.Instances?.Contains(pod.Metadata.Name) == true;
            bool missing = (status?.ReadyReplicas ?? 0) < AdapterSpecs.DesiredReplicas(adapter.Spec);
            if (listsPod || missing)
            {
                Queue.Add(Informer<ModelAdapter>.KeyOf(adapter));
            }
        }
    }
}
