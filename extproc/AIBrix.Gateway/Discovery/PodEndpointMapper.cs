using System.Globalization;
using AIBrix.EngineMetrics;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing.KvEvents;
using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Runtime;
using k8s.Models;

namespace AIBrix.Gateway.Discovery;

/// <summary>Pure mapping from pods and ModelAdapters to the gateway's <see cref="EndpointSpec"/> list.</summary>
internal static class PodEndpointMapper
{
    /// <summary>
    /// One endpoint per serving pod labelled <c>model.aibrix.ai/name</c>, named <c>namespace/pod</c>; each carries the
    /// adapters whose <c>status.instances</c> list that pod (same namespace). Of a Ray cluster's pods
    /// (<c>ray.io/node-type</c>) only the head serves; pods without that label are not Ray pods and are unaffected.
    /// </summary>
    public static IReadOnlyList<EndpointSpec> Map(IEnumerable<V1Pod> pods, IEnumerable<ModelAdapter> adapters) => Map(pods, adapters, null);

    /// <summary>What an InferencePool fixes for its members: the model when a pod has no label, and the port.</summary>
    public sealed record Target(string DefaultModel, int Port);

    /// <summary>As <see cref="Map(IEnumerable{V1Pod}, IEnumerable{ModelAdapter})"/>, with the model and port a pool gives (<paramref name="target"/>).</summary>
    public static IReadOnlyList<EndpointSpec> Map(IEnumerable<V1Pod> pods, IEnumerable<ModelAdapter> adapters, Target? target)
    {
        var adaptersByPod = new Dictionary<(string Ns, string Pod), List<string>>();
        foreach (var adapter in adapters)
        {
            if (adapter.Metadata.DeletionTimestamp is not null)
            {
                continue;
            }

            foreach (var pod in adapter.Status?.Instances ?? [])
            {
                var key = (adapter.Metadata.NamespaceProperty ?? "", pod);
                if (!adaptersByPod.TryGetValue(key, out var list))
                {
                    adaptersByPod[key] = list = [];
                }

                list.Add(adapter.Metadata.Name);
            }
        }

        var specs = new List<EndpointSpec>();
        foreach (var pod in pods.OrderBy(p => p.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            var labels = pod.Metadata.Labels;
            string? model = labels?.TryGetValue(ModelLabels.Name, out var label) == true && !string.IsNullOrEmpty(label) ? label : target?.DefaultModel;
            if (labels is null || model is null || !PodReadiness.IsServing(pod))
            {
                continue;
            }

            // A Ray cluster (a RayClusterFleet's) serves through its head pod only: workers hold pipeline and tensor
            // shards, not an OpenAI server, even when a user's template gives them the model label too.
            if (labels.TryGetValue(RayCluster.NodeTypeLabel, out var nodeType) && nodeType != "head")
            {
                continue;
            }

            int port = target?.Port ?? ParsePort(labels, ModelLabels.Port) ?? ModelLabels.DefaultPort;
            int? metricsPort = ParsePort(labels, ModelLabels.MetricPort);
            string ip = pod.Status.PodIP;
            string host = ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]" : ip;
            adaptersByPod.TryGetValue((pod.Metadata.NamespaceProperty ?? "", pod.Metadata.Name), out var loaded);
            specs.Add(new EndpointSpec(
                $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}",
                $"{host}:{port}",
                model,
                EngineKinds.FromLabel(labels.TryGetValue(ModelLabels.Engine, out var engine) ? engine : null),
                metricsPort,
                WithKvEventAnnotations(labels, pod.Metadata.Annotations),
                loaded is null ? [] : loaded.Order(StringComparer.Ordinal).ToArray()));
        }

        return specs;
    }

    // The KV event settings may be annotations too (kv-events.aibrix.ai/port...): they join the labels, a label winning.
    private static Dictionary<string, string> WithKvEventAnnotations(IDictionary<string, string> labels, IDictionary<string, string>? annotations)
    {
        var merged = new Dictionary<string, string>(labels, StringComparer.Ordinal);
        foreach (var (key, value) in annotations ?? new Dictionary<string, string>())
        {
            if (key.StartsWith(KvEventSourceOptions.Labels.Prefix, StringComparison.Ordinal))
            {
                merged.TryAdd(key, value);
            }
        }

        return merged;
    }

    private static int? ParsePort(IDictionary<string, string> labels, string key) =>
        labels.TryGetValue(key, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is > 0 and <= 65535
            ? port
            : null;
}
