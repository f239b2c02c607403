using AIBrix.Controllers.Hosting;
using AIBrix.Kubernetes.Runtime;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace AIBrix.Controllers.ColdStart;

/// <summary>
/// Wires the cold-start controller: a pod informer (model pods) and one queue key re-run every interval by the
/// <see cref="ControllerLoop"/>; the <see cref="ColdStartReconciler"/> polls the runtimes and labels the Nodes.
/// </summary>
public sealed class ColdStartController : IManagedController, IDisposable
{
    private readonly List<Informer<V1Pod>> _pods = [];
    private readonly ControllerLoop _loop;

    /// <summary>Creates the controller; nothing runs until <see cref="RunAsync"/>.</summary>
    public ColdStartController(IKubernetes client, RuntimeArtifactsClient runtimes, ColdStartOptions options, ILoggerFactory loggers, InformerOptions? informerOptions = null)
    {
        informerOptions ??= new InformerOptions { Time = options.Time };
        Queue = new WorkQueue(null, options.Time);
        foreach (var ns in options.Namespaces.Count == 0 ? [null] : options.Namespaces.Select(n => (string?)n))
        {
            _pods.Add(new Informer<V1Pod>(ResourceApis.Pods(client, ns, null), informerOptions, loggers.CreateLogger("AIBrix.ColdStart.PodInformer")));
        }

        Reconciler = new ColdStartReconciler(client, () => _pods.SelectMany(p => p.Items), runtimes, options, loggers.CreateLogger<ColdStartReconciler>());
        _loop = new ControllerLoop(ControllerNames.ColdStart, Queue, Reconciler, workers: 1, loggers.CreateLogger<ControllerLoop>());
    }

    /// <summary>The queue (one key).</summary>
    public WorkQueue Queue { get; }

    /// <summary>The reconciler (its holdings, for tests).</summary>
    public ColdStartReconciler Reconciler { get; }

    /// <inheritdoc/>
    public string Name => ControllerNames.ColdStart;

    /// <inheritdoc/>
    public long Reconciles => _loop.Reconciles;

    /// <inheritdoc/>
    public long Errors => _loop.Errors;

    /// <inheritdoc/>
    public int QueueDepth => Queue.Count;

    /// <inheritdoc/>
    public Task RunAsync(CancellationToken cancellationToken) =>
        _loop.RunWithInformersAsync([.. _pods], () => [ColdStartReconciler.Key], cancellationToken);

    /// <inheritdoc/>
    public void Dispose() => Queue.Dispose();
}
