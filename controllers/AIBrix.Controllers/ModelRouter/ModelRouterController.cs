using System.Collections.Concurrent;
using AIBrix.Controllers.Hosting;
using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Runtime;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace AIBrix.Controllers.ModelRouter;

/// <summary>
/// The model router, as in AIBrix: informers on Deployments and StatefulSets labelled <c>model.aibrix.ai/name</c> feed
/// a <see cref="WorkQueue"/> of <c>namespace/model</c> keys drained by <see cref="ModelRouterReconciler"/>, which keeps a
/// Service and an HTTPRoute per model so requests without a routing strategy still reach the model by its
/// <c>model</c> header. A workload whose label moves to another model queues both the old and the new model.
/// </summary>
public sealed class ModelRouterController : IManagedController, IDisposable
{
    private readonly List<Informer<V1Deployment>> _deployments = [];
    private readonly List<Informer<V1StatefulSet>> _statefulSets = [];
    private readonly ConcurrentDictionary<string, string> _lastKey = new(StringComparer.Ordinal); // workload uid → its last queue key
    private readonly ControllerLoop _loop;

    /// <summary>Creates the controller; nothing runs until <see cref="RunAsync"/>.</summary>
    public ModelRouterController(IKubernetes client, ModelRouterOptions options, ILoggerFactory loggers, InformerOptions? informerOptions = null, Backoff? queueBackoff = null)
    {
        informerOptions ??= new InformerOptions { Time = options.Time };
        Queue = new WorkQueue(queueBackoff, options.Time);
        var scopes = options.Namespaces.Count == 0 ? [null] : options.Namespaces.Select(n => (string?)n).ToArray();
        foreach (var ns in scopes)
        {
            var deployments = new Informer<V1Deployment>(ResourceApis.Deployments(client, ns, ModelLabels.Name), informerOptions, loggers.CreateLogger("AIBrix.ModelRouter.Deployments"));
            var statefulSets = new Informer<V1StatefulSet>(ResourceApis.StatefulSets(client, ns, ModelLabels.Name), informerOptions, loggers.CreateLogger("AIBrix.ModelRouter.StatefulSets"));
            deployments.Changed += (type, d) => OnWorkloadChanged(type, d.Metadata);
            statefulSets.Changed += (type, s) => OnWorkloadChanged(type, s.Metadata);
            _deployments.Add(deployments);
            _statefulSets.Add(statefulSets);
        }

        Reconciler = new ModelRouterReconciler(client, () => Workloads, options, loggers.CreateLogger<ModelRouterReconciler>());
        _loop = new ControllerLoop(ControllerNames.ModelRouter, Queue, Reconciler, options.Workers, loggers.CreateLogger<ControllerLoop>());
    }

    /// <summary>The queue (exposed for metrics and tests).</summary>
    public WorkQueue Queue { get; }

    /// <summary>The reconciler.</summary>
    public ModelRouterReconciler Reconciler { get; }

    /// <inheritdoc/>
    public string Name => ControllerNames.ModelRouter;

    /// <inheritdoc/>
    public int QueueDepth => Queue.Count;

    /// <inheritdoc/>
    public long Reconciles => _loop.Reconciles;

    /// <inheritdoc/>
    public long Errors => _loop.Errors;

    /// <summary>The cached workloads that serve a model.</summary>
    public IEnumerable<ModelWorkload> Workloads =>
        _deployments.SelectMany(i => i.Items).Select(ModelWorkload.From).Concat(_statefulSets.SelectMany(i => i.Items).Select(ModelWorkload.From)).OfType<ModelWorkload>();

    /// <summary>Runs informers and workers until cancelled; workers start after the caches sync, with a full pass.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await _loop.RunWithInformersAsync([.. _deployments, .. _statefulSets], () => Workloads.Select(w => ModelRouterReconciler.KeyOf(w.Namespace, w.Model)), cancellationToken);
    }

    /// <inheritdoc/>
    public void Dispose() => Queue.Dispose();

    private void OnWorkloadChanged(WatchEventType type, V1ObjectMeta metadata)
    {
        string uid = metadata.Uid ?? $"{metadata.NamespaceProperty}/{metadata.Name}";
        string? key = ModelWorkload.ModelOf(metadata) is { } model ? ModelRouterReconciler.KeyOf(metadata.NamespaceProperty ?? "", model) : null;
        string? previous;
        if (type == WatchEventType.Deleted || key is null)
        {
            _lastKey.TryRemove(uid, out previous);
        }
        else
        {
            _lastKey.TryGetValue(uid, out previous);
            _lastKey[uid] = key;
        }

        if (key is not null)
        {
            Queue.Add(key);
        }

        if (previous is not null && previous != key)
        {
            Queue.Add(previous);
        }
    }
}
