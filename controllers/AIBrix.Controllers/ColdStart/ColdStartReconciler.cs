using AIBrix.Controllers.ModelAdapters;
using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Runtime;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AIBrix.Controllers.ColdStart;

/// <summary>
/// One pass, every <see cref="ColdStartOptions.Interval"/>: poll the <c>/v1/artifacts</c> of every running model pod
/// that has the AI runtime (one answer per node is enough), remember each node's latest report, work out per model
/// which nodes hold it and in which tier (<see cref="NodeArtifactPlan"/>), and patch only the Node labels that
/// changed. Reports older than <see cref="ColdStartOptions.StaleAfter"/> are dropped, and their labels with them.
/// </summary>
public sealed partial class ColdStartReconciler(IKubernetes client, Func<IEnumerable<V1Pod>> pods, RuntimeArtifactsClient runtimes, ColdStartOptions options, ILogger? logger = null) : IReconciler
{
    /// <summary>The one queue key: a pass covers every node.</summary>
    public const string Key = "nodes";

    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly Dictionary<string, (IReadOnlyList<ReportedArtifact> Artifacts, DateTimeOffset At)> _reports = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private Dictionary<string, Dictionary<string, string>> _holdings = [];

    /// <summary>Per model: node → tier, as of the last pass.</summary>
    public IReadOnlyDictionary<string, Dictionary<string, string>> Holdings
    {
        get
        {
            lock (_gate)
            {
                return _holdings;
            }
        }
    }

    /// <summary>Node label patches sent so far.</summary>
    public long Patches { get; private set; }

    /// <inheritdoc/>
    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var now = options.Time.GetUtcNow();
        var running = pods().Where(p => p.Status?.Phase == "Running" && !string.IsNullOrEmpty(p.Status.PodIP) && ModelOf(p) is not null).ToList();
        var models = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var pod in running)
        {
            string model = ModelOf(pod)!;
            string? artifact = pod.Metadata.Annotations is { } annotations && annotations.TryGetValue(ColdStartLabels.ArtifactAnnotation, out var a) ? a : null;
            models[model] = models.GetValueOrDefault(model) ?? artifact;
        }

        var polled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pod in running)
        {
            if (RuntimeSidecar.PortOf(pod) is not int port || (pod.Spec?.NodeName is { } n && polled.Contains(n)))
            {
                continue;
            }

            var report = await runtimes.GetAsync(new Uri($"http://{Host(pod.Status.PodIP)}:{port}/"), cancellationToken);
            string? node = report?.Node ?? pod.Spec?.NodeName;
            if (report is null || node is null)
            {
                continue;
            }

            polled.Add(node);
            _reports[node] = (report.Artifacts ?? [], now);
        }

        foreach (var stale in _reports.Where(r => now - r.Value.At > options.StaleAfter).Select(r => r.Key).ToList())
        {
            _reports.Remove(stale);
        }

        var holdings = NodeArtifactPlan.Holdings(models, _reports.ToDictionary(r => r.Key, r => r.Value.Artifacts, StringComparer.Ordinal));
        lock (_gate)
        {
            _holdings = holdings;
        }

        var nodes = await client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken);
        var current = nodes.Items.ToDictionary(
            n => n.Metadata.Name,
            n => (IReadOnlyDictionary<string, string>)(n.Metadata.Labels ?? new Dictionary<string, string>())
                .Where(l => l.Key.StartsWith(ColdStartLabels.Prefix, StringComparison.Ordinal)).ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal),
            StringComparer.Ordinal);
        foreach (var (node, labels) in NodeArtifactPlan.Changes(holdings, current))
        {
            if (!current.ContainsKey(node))
            {
                continue; // a node that is gone (or a runtime reporting a name that is no Node) is not labelled
            }

            var body = new V1Patch(new { metadata = new { labels } }, V1Patch.PatchType.MergePatch);
            await client.CoreV1.PatchNodeAsync(body, node, cancellationToken: cancellationToken);
            Patches++;
            if (_logger.IsEnabled(LogLevel.Information))
            {
                string described = string.Join(",", labels.Select(l => $"{l.Key}={l.Value ?? "-"}"));
                Log.Labelled(_logger, node, described);
            }
        }

        return ReconcileResult.After(options.Interval);
    }

    private static string? ModelOf(V1Pod pod) => pod.Metadata?.Labels is { } labels && labels.TryGetValue(ModelLabels.Name, out var model) ? model : null;

    private static string Host(string ip) => ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]" : ip;

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "node {Node}: cold-start labels {Labels}")]
        public static partial void Labelled(ILogger logger, string node, string labels);
    }
}
