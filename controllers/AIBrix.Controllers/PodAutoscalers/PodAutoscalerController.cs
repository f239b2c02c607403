using System.Collections.Concurrent;
using AIBrix.Controllers.Hosting;
using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Runtime;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace AIBrix.Controllers.PodAutoscalers;

/// <summary>
/// Wires the PodAutoscaler controller: informers on PodAutoscalers and pods, a <see cref="WorkQueue"/> drained by
/// <see cref="PodAutoscalerReconciler"/>, which requeues each PodAutoscaler every interval. A PodAutoscaler is queued
/// at once when it is added, deleted, or its spec or annotations change; its own status writes do not queue it, so
/// each one is scraped once per interval.
/// </summary>
public sealed class PodAutoscalerController : IManagedController, IDisposable
{
    private readonly List<Informer<PodAutoscaler>> _autoscalers = [];
    private readonly List<Informer<V1Pod>> _pods = [];
    private readonly ConcurrentDictionary<string, string> _seen = new(StringComparer.Ordinal);
    private readonly ControllerLoop _loop;
    private readonly ReadyPodIndex _readyPods;

    /// <summary>Creates the controller; nothing runs until <see cref="RunAsync"/>.</summary>
    /// <exception cref="ArgumentException">The options do not validate.</exception>
    public PodAutoscalerController(IKubernetes client, HttpClient http, PodAutoscalerOptions options, ILoggerFactory loggers,
        InformerOptions? informerOptions = null, Backoff? queueBackoff = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException("invalid PodAutoscaler controller options: " + string.Join(" ", errors), nameof(options));
        }

        informerOptions ??= new InformerOptions { Time = options.Time };
        Queue = new WorkQueue(queueBackoff, options.Time);
        _readyPods = new ReadyPodIndex(() => _pods.SelectMany(i => i.Items));
        var scopes = options.Namespaces.Count == 0 ? [null] : options.Namespaces.Select(n => (string?)n).ToArray();
        foreach (var ns in scopes)
        {
            var autoscalers = new Informer<PodAutoscaler>(
                ResourceApis.Custom<PodAutoscaler, PodAutoscalerList>(client, PodAutoscaler.Group, PodAutoscaler.Version, PodAutoscaler.Plural, ns),
                informerOptions, loggers.CreateLogger("AIBrix.PodAutoscaler.Informer"));
            autoscalers.Changed += OnChanged;
            _autoscalers.Add(autoscalers);
            var pods = new Informer<V1Pod>(ResourceApis.Pods(client, ns, null), informerOptions, loggers.CreateLogger("AIBrix.PodAutoscaler.PodInformer"));
            pods.Changed += (_, _) => _readyPods.Invalidate();
            _pods.Add(pods);
        }

        Reconciler = new PodAutoscalerReconciler(client, http, Find, () => _autoscalers.SelectMany(i => i.Items), _readyPods,
            new EventRecorder(client, "aibrix-podautoscaler-controller", options.Time, loggers.CreateLogger("AIBrix.Events")), options,
            loggers.CreateLogger<PodAutoscalerReconciler>());
        _loop = new ControllerLoop(ControllerNames.PodAutoscaler, Queue, Reconciler, options.Workers, loggers.CreateLogger<ControllerLoop>());
    }

    /// <summary>The queue (exposed for metrics and tests).</summary>
    public WorkQueue Queue { get; }

    /// <summary>The reconciler.</summary>
    public PodAutoscalerReconciler Reconciler { get; }

    /// <inheritdoc/>
    public string Name => ControllerNames.PodAutoscaler;

    /// <inheritdoc/>
    public int QueueDepth => Queue.Count;

    /// <inheritdoc/>
    public long Reconciles => _loop.Reconciles;

    /// <inheritdoc/>
    public long Errors => _loop.Errors;

    /// <summary>The cached PodAutoscalers.</summary>
    public IEnumerable<PodAutoscaler> Autoscalers => _autoscalers.SelectMany(i => i.Items);

    /// <summary>Runs informers and workers until cancelled; workers start after the caches sync, with a full pass.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // A new term starts from fresh autoscalers (a KPA one starts in panic holding the ready pods): windows that were
        // not fed while another replica led would decide on stale load.
        Reconciler.States.Clear();
        Reconciler.ReadyPods.Clear();
        await _loop.RunWithInformersAsync([.. _autoscalers, .. _pods], () => Autoscalers.Select(Informer<PodAutoscaler>.KeyOf), cancellationToken);
    }

    /// <inheritdoc/>
    public void Dispose() => Queue.Dispose();

    private void OnChanged(WatchEventType type, PodAutoscaler pa)
    {
        Reconciler.Claims.Invalidate();
        string key = Informer<PodAutoscaler>.KeyOf(pa);
        if (type == WatchEventType.Deleted)
        {
            _seen.TryRemove(key, out _);
            Queue.Add(key);
            return;
        }

        // Status writes (ours, every interval) leave generation and annotations alone: they must not queue a second scrape.
        string seen = $"{pa.Metadata.Uid}|{pa.Metadata.Generation}|{PodAutoscalerSpecs.Fingerprint(pa)}";
        if (!_seen.TryGetValue(key, out var before) || before != seen)
        {
            _seen[key] = seen;
            Queue.Add(key);
        }
    }

    private PodAutoscaler? Find(string key)
    {
        foreach (var informer in _autoscalers)
        {
            if (informer.TryGet(key, out var pa))
            {
                return pa;
            }
        }

        return null;
    }
}
