using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Runtime;
using k8s;
using k8s.Models;

namespace AIBrix.Controllers.Tests.Infrastructure;

/// <summary>
/// A small KubeRay for tests: it watches RayClusters on the fake API server, gives each new one KubeRay's status
/// (desired workers, RayClusterProvisioned and HeadPodReady False) and its head and worker pods, labelled as KubeRay
/// labels them; then, when <see cref="Instant"/>, makes it ready at once, else when the test says so. A test can also
/// break a ready cluster (head pod unready) as a dead node would.
/// </summary>
internal sealed class KubeRayStandIn : IAsyncDisposable
{
    private readonly FakeApiServer _api;
    private readonly IKubernetes _client;
    private readonly TimeProvider _time;
    private readonly Informer<RayCluster> _informer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private readonly ConcurrentDictionary<string, bool> _seen = new(StringComparer.Ordinal);

    public KubeRayStandIn(FakeApiServer api, TimeProvider time, bool instant)
    {
        _api = api;
        _time = time;
        Instant = instant;
        _client = api.CreateClient();
        _informer = new Informer<RayCluster>(ResourceApis.Custom<RayCluster, RayClusterList>(_client, RayCluster.Group, RayCluster.ApiVersionName, RayCluster.Plural, null));
        _informer.Changed += (type, c) =>
        {
            if (type == WatchEventType.Added && _seen.TryAdd(c.Metadata.Uid, true))
            {
                _ = ProvisionAsync(c);
            }
        };
        _run = _informer.RunAsync(_stop.Token);
    }

    /// <summary>New clusters become ready as soon as they are provisioned.</summary>
    public bool Instant { get; set; }

    /// <summary>RayClusters now, as the API server has them.</summary>
    public IReadOnlyList<JsonObject> Clusters(string ns = "default") => _api.All("apis/ray.io/v1", RayCluster.Plural, ns);

    /// <summary>Whether a cluster object reports ready.</summary>
    public static bool IsReady(JsonObject cluster) =>
        Condition(cluster, RayCluster.ProvisionedCondition) == "True" && Condition(cluster, RayCluster.HeadPodReadyCondition) == "True";

    /// <summary>Whether a cluster got its first status from this stand-in.</summary>
    public static bool IsProvisioning(JsonObject cluster) => cluster["status"] is not null;

    /// <summary>Makes <paramref name="name"/> ready: provisioned, head ready, every worker ready.</summary>
    public Task MakeReadyAsync(string name, string ns = "default") => PatchAsync(name, ns, Status(desired: Desired(name, ns), readyWorkers: Desired(name, ns), provisioned: true, head: true));

    /// <summary>Breaks a ready cluster: its head pod is no longer ready (KubeRay keeps RayClusterProvisioned True).</summary>
    public Task BreakAsync(string name, string ns = "default") => PatchAsync(name, ns, Status(desired: Desired(name, ns), readyWorkers: Desired(name, ns), provisioned: true, head: false));

    /// <summary>The labels of a pod this stand-in made.</summary>
    public IReadOnlyDictionary<string, string> PodLabels(string pod, string ns = "default") =>
        (_api.Get("api/v1", "pods", ns, pod)?["metadata"]?["labels"] as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _client.Dispose();
        _stop.Dispose();
    }

    private static string? Condition(JsonObject cluster, string type) =>
        (cluster["status"]?["conditions"] as JsonArray)?.FirstOrDefault(c => c?["type"]?.GetValue<string>() == type)?["status"]?.GetValue<string>();

    private int Desired(string name, string ns) =>
        _api.Get("apis/ray.io/v1", RayCluster.Plural, ns, name)?["status"]?["desiredWorkerReplicas"]?.GetValue<int>() ?? 0;

    private async Task ProvisionAsync(RayCluster cluster)
    {
        string ns = cluster.Metadata.NamespaceProperty, name = cluster.Metadata.Name;
        var workerGroups = cluster.Spec?["workerGroupSpecs"] as JsonArray ?? [];
        int desired = workerGroups.Sum(g => g?["replicas"]?.GetValue<int>() ?? 1);
        Pod(ns, $"{name}-head", name, "head", cluster.Spec?["headGroupSpec"]?["template"]?["metadata"]?["labels"] as JsonObject);
        for (int i = 0; i < desired; i++)
        {
            Pod(ns, $"{name}-worker-{i}", name, "worker", workerGroups.FirstOrDefault()?["template"]?["metadata"]?["labels"] as JsonObject);
        }

        await PatchAsync(name, ns, Status(desired, readyWorkers: 0, provisioned: false, head: false));
        if (Instant)
        {
            await PatchAsync(name, ns, Status(desired, readyWorkers: desired, provisioned: true, head: true));
        }
    }

    private void Pod(string ns, string pod, string cluster, string nodeType, JsonObject? templateLabels)
    {
        var labels = (JsonObject?)templateLabels?.DeepClone() ?? [];
        labels[RayCluster.ClusterLabel] = cluster;
        labels[RayCluster.NodeTypeLabel] = nodeType;
        _api.Put("api/v1", "pods", ns, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = pod, ["labels"] = labels },
            ["status"] = new JsonObject { ["phase"] = "Running", ["podIP"] = "127.0.0.1" },
        });
    }

    private JsonObject Status(int desired, int readyWorkers, bool provisioned, bool head)
    {
        string now = _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        JsonObject Cond(string type, bool value) => new() { ["type"] = type, ["status"] = value ? "True" : "False", ["reason"] = value ? "Ready" : "NotReady", ["message"] = "", ["lastTransitionTime"] = now };
        return new JsonObject
        {
            ["state"] = provisioned && head ? "ready" : null,
            ["desiredWorkerReplicas"] = desired,
            ["readyWorkerReplicas"] = readyWorkers,
            ["availableWorkerReplicas"] = readyWorkers,
            ["conditions"] = new JsonArray(Cond(RayCluster.ProvisionedCondition, provisioned), Cond(RayCluster.HeadPodReadyCondition, head)),
        };
    }

    private async Task PatchAsync(string name, string ns, JsonObject status)
    {
        try
        {
            await _client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<RayCluster>(new V1Patch(new JsonObject { ["status"] = status }.ToJsonString(), V1Patch.PatchType.MergePatch),
                RayCluster.Group, RayCluster.ApiVersionName, ns, RayCluster.Plural, name);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // deleted meanwhile
        }
    }
}
