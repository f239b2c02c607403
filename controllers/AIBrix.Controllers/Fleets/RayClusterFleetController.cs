using AIBrix.Controllers.Hosting;
using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Runtime;
using k8s;
using Microsoft.Extensions.Logging;

namespace AIBrix.Controllers.Fleets;

/// <summary>
/// Wires the RayClusterFleet controller: informers on fleets and their replica sets feed a coalescing
/// <see cref="WorkQueue"/>; a replica set change queues the fleet that controls it.
/// </summary>
public sealed class RayClusterFleetController : IManagedController, IDisposable
{
    /// <summary>The name in metrics.</summary>
    public const string ControllerName = "rayclusterfleet";

    private readonly List<Informer<RayClusterFleet>> _fleets = [];
    private readonly List<Informer<RayClusterReplicaSet>> _sets = [];
    private readonly ControllerLoop _loop;

    /// <summary>Creates the controller; nothing runs until <see cref="RunAsync"/>.</summary>
    public RayClusterFleetController(IKubernetes client, FleetOptions options, ILoggerFactory loggers, InformerOptions? informerOptions = null, Backoff? queueBackoff = null)
    {
        informerOptions ??= new InformerOptions { Time = options.Time };
        Queue = new WorkQueue(queueBackoff, options.Time);
        foreach (var ns in options.Namespaces.Count == 0 ? [null] : options.Namespaces.Select(n => (string?)n).ToArray())
        {
            var fleets = new Informer<RayClusterFleet>(
                ResourceApis.Custom<RayClusterFleet, RayClusterFleetList>(client, RayClusterFleet.Group, RayClusterFleet.Version, RayClusterFleet.Plural, ns),
                informerOptions, loggers.CreateLogger("AIBrix.Fleet.FleetInformer"));
            var sets = new Informer<RayClusterReplicaSet>(
                ResourceApis.Custom<RayClusterReplicaSet, RayClusterReplicaSetList>(client, RayClusterReplicaSet.Group, RayClusterReplicaSet.Version, RayClusterReplicaSet.Plural, ns),
                informerOptions, loggers.CreateLogger("AIBrix.Fleet.ReplicaSetInformer"));
            fleets.Changed += (type, f) =>
            {
                if (type != WatchEventType.Deleted)
                {
                    Queue.Add(Informer<RayClusterFleet>.KeyOf(f));
                }
            };
            sets.Changed += (_, s) =>
            {
                if (FleetObjects.ControllerName(s, RayClusterFleet.KindName) is { } owner)
                {
                    Queue.Add(FleetObjects.Key(s.Metadata.NamespaceProperty, owner));
                }
            };
            _fleets.Add(fleets);
            _sets.Add(sets);
        }

        Reconciler = new RayClusterFleetReconciler(new FleetStore(client), Find, () => _sets.SelectMany(s => s.Items),
            new EventRecorder(client, "aibrix-fleet-controller", options.Time, loggers.CreateLogger("AIBrix.Events")), options);
        _loop = new ControllerLoop(ControllerName, Queue, Reconciler, options.Workers, loggers.CreateLogger<ControllerLoop>());
    }

    /// <summary>The queue (exposed for metrics and tests).</summary>
    public WorkQueue Queue { get; }

    /// <summary>The reconciler.</summary>
    public RayClusterFleetReconciler Reconciler { get; }

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
        await _loop.RunWithInformersAsync([.. _fleets, .. _sets], () => _fleets.SelectMany(f => f.Items).Select(Informer<RayClusterFleet>.KeyOf), cancellationToken);
    }

    /// <inheritdoc/>
    public void Dispose() => Queue.Dispose();

    private RayClusterFleet? Find(string key)
    {
        foreach (var informer in _fleets)
        {
            if (informer.TryGet(key, out var fleet))
            {
                return fleet;
            }
        }

        return null;
    }
}
