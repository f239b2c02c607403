using System.Globalization;
using AIBrix.Autoscaling.Observations;
using AIBrix.EngineMetrics;
using AIBrix.Kubernetes.Crds;
using k8s;
using k8s.Models;

namespace AIBrix.Controllers.PodAutoscalers;

/// <summary>
/// Turns one <c>metricsSources[]</c> entry into one <see cref="MetricObservation"/>: <c>pod</c> scrapes every ready
/// pod's metrics page in parallel; <c>resource</c> reads metrics.k8s.io; <c>external</c> and <c>custom</c> read one
/// Prometheus sample for the whole target from their endpoint. A pod that fails or lacks the metric is left out of
/// the sum and reported, never counted as idle (AIBrix #617).
/// </summary>
internal sealed class MetricCollector(IKubernetes client, MetricsPageReader pages)
{
    /// <summary>Pod label naming the engine (vLLM when absent).</summary>
    public const string EngineLabel = "model.aibrix.ai/engine";

    /// <summary>Pod labels naming the metrics port, in the order tried when the source names none.</summary>
    public static readonly string[] PortLabels = ["model.aibrix.ai/metric-port", "model.aibrix.ai/port"];

    /// <summary>The port scraped when neither the source nor the pod names one (vLLM's).</summary>
    public const int DefaultPort = 8000;

    /// <summary>Collects <paramref name="source"/> over <paramref name="readyPods"/>.</summary>
    public Task<Collected> CollectAsync(PodAutoscalerMetricSource source, string ns, string? selector, IReadOnlyList<V1Pod> readyPods, CancellationToken cancellationToken)
    {
        string type = source.MetricSourceType.Trim().ToLowerInvariant();
        return type switch
        {
            PodAutoscalerMetricSourceTypes.Pod => FromPodsAsync(source, readyPods, cancellationToken),
            PodAutoscalerMetricSourceTypes.Resource => FromResourceMetricsAsync(source, ns, selector, readyPods, cancellationToken),
            _ => FromEndpointAsync(source, readyPods.Count, cancellationToken),
        };
    }

    private async Task<Collected> FromPodsAsync(PodAutoscalerMetricSource source, IReadOnlyList<V1Pod> readyPods, CancellationToken cancellationToken)
    {
        var reads = await Task.WhenAll(readyPods.Select(pod =>
        {
            var engine = EngineKinds.FromLabel((pod.Metadata.Labels?.TryGetValue(EngineLabel, out var e) == true ? e : null));
            var uri = PodUri(source, pod);
            return uri is null
                ? Task.FromResult(MetricRead.Failed($"{pod.Metadata.Name}: no usable metrics port"))
                : pages.ReadAsync(uri, families => EngineMetricNames.Read(families, engine, source.TargetMetric), cancellationToken);
        }));
        double sum = 0;
        int answered = 0;
        var failures = new List<string>();
        for (int i = 0; i < reads.Length; i++)
        {
            if (reads[i].Succeeded)
            {
                sum += reads[i].Value;
                answered++;
            }
            else
            {
                failures.Add(reads[i].Error!.Contains(readyPods[i].Metadata.Name, StringComparison.Ordinal) ? reads[i].Error! : $"{readyPods[i].Metadata.Name}: {reads[i].Error}");
            }
        }

        return new Collected(MetricObservation.FromPods(sum, answered, readyPods.Count), failures);
    }

    private async Task<Collected> FromResourceMetricsAsync(PodAutoscalerMetricSource source, string ns, string? selector, IReadOnlyList<V1Pod> readyPods,
        CancellationToken cancellationToken)
    {
        PodResourceMetricsList list;
        try
        {
            list = await client.CustomObjects.ListNamespacedCustomObjectAsync<PodResourceMetricsList>(PodResourceMetrics.Group, PodResourceMetrics.Version, ns, PodResourceMetrics.Plural,
                labelSelector: selector, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException)
        {
            return new Collected(MetricObservation.FromPods(0, 0, readyPods.Count), [$"metrics.k8s.io: {e.Message}"]);
        }

        var usage = list.Items.ToDictionary(m => m.Metadata.Name, m => m, StringComparer.Ordinal);
        double sum = 0;
        int answered = 0;
        var failures = new List<string>();
        foreach (var pod in readyPods)
        {
            if (usage.TryGetValue(pod.Metadata.Name, out var metrics) && metrics.Containers.Count > 0
                && metrics.Containers.All(c => c.Usage.ContainsKey(source.TargetMetric)))
            {
                sum += metrics.Containers.Sum(c => (double)c.Usage[source.TargetMetric].ToDecimal());
                answered++;
            }
            else
            {
                failures.Add($"{pod.Metadata.Name}: no {source.TargetMetric} in metrics.k8s.io");
            }
        }

        return new Collected(MetricObservation.FromPods(sum, answered, readyPods.Count), failures);
    }

    private async Task<Collected> FromEndpointAsync(PodAutoscalerMetricSource source, int readyPods, CancellationToken cancellationToken)
    {
        if (EndpointUri(source) is not { } uri)
        {
            return new Collected(null, [$"{source.MetricSourceType} source needs an endpoint (host[:port])"]);
        }

        // One value for the whole target, taken as it is: a replica count stays a replica count (AIBrix #461).
        var read = await pages.ReadAsync(uri, families => MetricQueries.Sum(families, source.TargetMetric), cancellationToken);
        return read.Succeeded
            ? new Collected(MetricObservation.FromTotal(read.Value, readyPods), [])
            : new Collected(null, [read.Error!]);
    }

    /// <summary>The metrics URL of <paramref name="pod"/> for <paramref name="source"/>; null without an IP or a valid port.</summary>
    public static Uri? PodUri(PodAutoscalerMetricSource source, V1Pod pod)
    {
        string? port = source.Port;
        if (string.IsNullOrWhiteSpace(port))
        {
            port = PortLabels.Select(l => pod.Metadata.Labels?.TryGetValue(l, out var v) == true ? v : null).FirstOrDefault(p => !string.IsNullOrEmpty(p))
                ?? DefaultPort.ToString(CultureInfo.InvariantCulture);
        }

        if (string.IsNullOrEmpty(pod.Status?.PodIP) || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int p) || p is < 1 or > 65535)
        {
            return null;
        }

        string host = pod.Status.PodIP.Contains(':', StringComparison.Ordinal) ? $"[{pod.Status.PodIP}]" : pod.Status.PodIP;
        return Uri.TryCreate($"{Scheme(source)}://{host}:{p}{PathOf(source)}", UriKind.Absolute, out var uri) ? uri : null;
    }

    /// <summary>The endpoint URL of an external or custom source; null when it has no endpoint.</summary>
    public static Uri? EndpointUri(PodAutoscalerMetricSource source) =>
        string.IsNullOrWhiteSpace(source.Endpoint) || !Uri.TryCreate($"{Scheme(source)}://{source.Endpoint.Trim()}{PathOf(source)}", UriKind.Absolute, out var uri)
            ? null
            : uri;

    private static string Scheme(PodAutoscalerMetricSource source) =>
        string.Equals(source.ProtocolType, "https", StringComparison.OrdinalIgnoreCase) ? "https" : "http";

    private static string PathOf(PodAutoscalerMetricSource source) =>
        string.IsNullOrWhiteSpace(source.Path) ? "/metrics" : source.Path.StartsWith('/') ? source.Path : "/" + source.Path;
}

/// <summary>One source's observation (null when nothing usable arrived) and every pod or endpoint that failed.</summary>
internal sealed record Collected(MetricObservation? Observation, IReadOnlyList<string> Failures);
