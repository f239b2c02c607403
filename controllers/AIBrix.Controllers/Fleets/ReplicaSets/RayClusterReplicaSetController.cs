using AIBrix.Controllers.Hosting;
using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Runtime;
using k8s;
using Microsoft.Extensions.Logging;

namespace AIBrix.Controllers.Fleets.ReplicaSets;

/// <summary>
/// Wires the RayClusterReplicaSet controller: informers on replica sets and KubeRay RayClusters feed a coalescing
/// <see cref="WorkQueue"/>; a RayCluster change queues the replica set that controls it.
/// </summary>
public sealed class RayClusterReplicaSetController : IManagedController, IDisposable
{
    /// <summary>The name in metrics.</summary>
    public const string ControllerName = "rayclusterreplicaset";

    private readonly List<Informer<RayClusterReplicaSet>> _sets = [];
    private readonly List<Informer<RayCluster>> _clusters = [];
    private readonly ControllerLoop _loop;

    /// <summary>Creates the controller; nothing runs until <see cref="RunAsync"/>.</summary>
    public RayClusterReplicaSetController(IKubernetes client, FleetOptions options, ILoggerFactory loggers, InformerOptions? informerOptions = null, Backoff? queueBackoff = null)
    {
        informerOptions ??= new InformerOptions { Time = options.Time };
        Queue = new WorkQueue(queueBackoff, options.Time);
        foreach (var ns in options.Namespaces.Count == 0 ? [null] : options.Namespaces.Select(n => (string?)n).ToArray())
        {
            var sets = new Informer<RayClusterReplicaSet>(
                ResourceApis.Custom<RayClusterReplicaSet, RayClusterReplicaSetList>(client, RayClusterReplicaSet.Group, RayClusterReplicaSet.Version, RayClusterReplicaSet.Plural, ns),
                informerOptions, loggers.CreateLogger("AIBrix.Fleet.ReplicaSetInformer"));
            var clusters = new Informer<RayCluster>(
                ResourceApis.Custom<RayCluster, RayClusterList>(client, RayCluster.Group, RayCluster.ApiVersionName, RayCluster.Plural, ns),
                informerOptions, loggers.CreateLogger("AIBrix.Fleet.RayClusterInformer"));
            sets.Changed += (_, s) => Queue.Add(Informer<RayClusterReplicaSet>.KeyOf(s));
            clusters.Changed += (_, c) =>
            {
                if (FleetObjects.ControllerName(c, RayClusterReplicaSet.KindName) is { } owner)
                {
                    Queue.Add(FleetObjects.Key(c.Metadata.NamespaceProperty, owner));
                }
            };
            _sets.Add(sets);
            _clusters.Add(clusters);
        }

        Reconciler = new RayClusterReplicaSetReconciler(new ReplicaSetStore(client), Find, () => _clusters.SelectMany(c => c.Items),
            new EventRecorder(client, "aibrix-fleet-controller", options.Time, loggers.CreateLogger("AIBrix.Events")), options);
        _loop = new ControllerLoop(ControllerName, Queue, Reconciler, options.Workers, loggers.CreateLogger<ControllerLoop>());
    }

    /// <summary>The queue (exposed for metrics and tests).</summary>
    public WorkQueue Queue { get; }

    /// <summary>The reconciler.</summary>
    public RayClusterReplicaSetReconciler Reconciler { get; }

    /// <inheritdoc/>
    public string Name => ControllerName;

    /// <inheritdoc/>
    public int QueueDepth => Queue.Count;

    /// <inheritdoc/>
    public long Reconciles => _loop.Reconciles;

    /// <inheritdoc/>
    public long Errors => _loop.Errors;

    /// <summary>Runs informers and workers until cancelled; workers start after the caches sync, with a full pass.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await _loop.RunWithInformersAsync([.. _sets, .. _clusters], () => _sets.SelectMany(s => s.Items).Select(Informer<RayClusterReplicaSet>.KeyOf), cancellationToken);
    }

    /// <inheritdoc/>
    public void Dispose() => Queue.Dispose();

    private RayClusterReplicaSet? Find(string key)
    {
        foreach (var informer in _sets)
        {
            if (informer.TryGet(key, out var set))
            {
                return set;
            }
        }

        return null;
    }
}
