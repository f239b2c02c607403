using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Discovery;
using AIBrix.Kubernetes.Runtime;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AIBrix.Controllers.ModelAdapters;

/// <summary>
/// Reconciles one ModelAdapter in named steps: finalizer on delete (unload everywhere), validate, verify current
/// instances against the engines' <c>/v1/models</c>, place the missing replicas by policy and load them (confirmed
/// in <c>/v1/models</c> before they count), scale down extras, keep the headless Service and EndpointSlice, write status.
/// Failing loads retry with backoff and fail the adapter after <see cref="ModelAdapterOptions.MaxLoadAttempts"/>.
/// </summary>
public sealed partial class ModelAdapterReconciler : IReconciler
{
    /// <summary>Label on the EndpointSlice naming its Service.</summary>
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    private readonly IKubernetes _client;
    private readonly Func<IEnumerable<V1Pod>> _pods;
    private readonly Func<IEnumerable<ModelAdapter>> _adapters;
    private readonly EngineAdapterClient _engines;
    private readonly EventRecorder _events;
    private readonly ModelAdapterOptions _options;
    private readonly ILogger _logger;
    private readonly Random _random;
    private readonly ConcurrentDictionary<string, (int Attempts, DateTimeOffset NotBefore)> _attempts = new(StringComparer.Ordinal);

    /// <summary>Creates the reconciler over caches of pods and adapters (from informers).</summary>
    public ModelAdapterReconciler(IKubernetes client, Func<IEnumerable<V1Pod>> pods, Func<IEnumerable<ModelAdapter>> adapters,
        EngineAdapterClient engines, EventRecorder events, ModelAdapterOptions options, ILogger? logger = null)
    {
        _client = client;
        _pods = pods;
        _adapters = adapters;
        _engines = engines;
        _events = events;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _random = options.Seed is { } seed ? new Random(seed) : new Random();
    }

    /// <inheritdoc/>
    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = Split(key);
        var adapter = await GetAsync(ns, name, cancellationToken);
        if (adapter is null)
        {
            _attempts.TryRemove(key, out _);
            return ReconcileResult.Done;
        }

        if (adapter.Metadata.DeletionTimestamp is not null)
        {
            await FinalizeAsync(adapter, cancellationToken);
            _attempts.TryRemove(key, out _);
            return ReconcileResult.Done;
        }

        if (adapter.Metadata.Finalizers?.Contains(ModelAdapter.Finalizer) != true)
        {
            (adapter.Metadata.Finalizers ??= []).Add(ModelAdapter.Finalizer);
            adapter = await _client.CustomObjects.ReplaceNamespacedCustomObjectAsync<ModelAdapter>(adapter, ModelAdapter.Group, ModelAdapter.Version, ns, ModelAdapter.Plural, name, cancellationToken: cancellationToken);
        }

        var now = _options.Time.GetUtcNow().UtcDateTime;
        var status = CopyStatus(adapter.Status);
        var spec = adapter.Spec;
        if (!Validate(spec, out string path, out string invalid))
        {
            status.Phase = ModelAdapterPhase.Failed;
            status.Conditions = Conditions.Set(status.Conditions, "Initialized", false, "InvalidSpec", invalid, now, adapter.Metadata.Generation);
            await WriteStatusAsync(adapter, status, cancellationToken);
            return ReconcileResult.Done;
        }

        if (status.Phase == ModelAdapterPhase.Failed && status.ObservedGeneration == adapter.Metadata.Generation
            && status.Conditions?.Any(c => c.Type == "Ready" && c.Reason == "LoadFailed") == true)
        {
            return ReconcileResult.Done; // retries exhausted: stays Failed until the spec changes (no reload loops)
        }

        status.Conditions = Conditions.Set(status.Conditions, "Initialized", true, "Validated", "spec is valid", now, adapter.Metadata.Generation);
        var work = new Work(key, ns, name, path, spec.AdditionalConfig?.GetValueOrDefault("api-key"), Math.Max(1, spec.Replicas ?? 1), now, adapter.Metadata.Generation);
        var candidates = Candidates(spec, ns);
        status.Candidates = candidates.Keys.Order(StringComparer.Ordinal).ToList();
        var instances = await VerifyAsync(work, status.Instances, candidates, cancellationToken);
        await ScaleDownAsync(work, instances, candidates, cancellationToken);

        var clock = _options.Time.GetUtcNow();
        bool waiting = _attempts.TryGetValue(key, out var retry) && clock < retry.NotBefore;
        string? failure = waiting ? null : await PlaceAsync(work, adapter, status, instances, candidates, cancellationToken);

        // Step: the Service and EndpointSlice that make the adapter addressable.
        await EnsureServiceAsync(adapter, instances.Select(i => candidates[i]).ToList(), cancellationToken);

        status.Instances = instances.Order(StringComparer.Ordinal).ToList();
        status.ReadyReplicas = instances.Count;
        status.ObservedGeneration = adapter.Metadata.Generation;
        var next = waiting
            ? ReconcileResult.After(retry.NotBefore - clock) // our own status write woke us during a backoff: keep phase and conditions
            : await ConcludeAsync(work, adapter, status, instances.Count, failure, clock, cancellationToken);
        await WriteStatusAsync(adapter, status, cancellationToken);
        return next;
    }

    /// <summary>What one reconcile works on, read once from the adapter.</summary>
    private sealed record Work(string Key, string Ns, string Name, string Path, string? ApiKey, int Replicas, DateTime Now, long? Generation);

    /// <summary>Step: candidates. Ready pods in the namespace that match the selector (by default, the base model's label).</summary>
    private Dictionary<string, V1Pod> Candidates(ModelAdapterSpec spec, string ns)
    {
        var selector = spec.PodSelector ?? new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [ModelLabels.Name] = spec.BaseModel ?? "" } };
        return _pods()
            .Where(p => p.Metadata.NamespaceProperty == ns && PodReadiness.IsServing(p) && LabelSelectors.Matches(selector, p.Metadata.Labels))
            .ToDictionary(p => p.Metadata.Name, StringComparer.Ordinal);
    }

    /// <summary>Step: verify. An instance counts only while its pod serves and its engine lists the adapter (#235, #214).</summary>
    private async Task<List<string>> VerifyAsync(Work work, IList<string>? listed, Dictionary<string, V1Pod> candidates, CancellationToken cancellationToken)
    {
        var instances = new List<string>();
        foreach (var pod in listed ?? [])
        {
            if (candidates.TryGetValue(pod, out var p) && (await _engines.ListModelsAsync(EngineUri(p), work.ApiKey, cancellationToken))?.Contains(work.Name) == true)
            {
                instances.Add(pod);
            }
            else
            {
                Log.Lost(_logger, work.Key, pod);
            }
        }

        return instances;
    }

    /// <summary>Step: scale down. Replicas beyond the spec are unloaded, newest listed first.</summary>
    private async Task ScaleDownAsync(Work work, List<string> instances, Dictionary<string, V1Pod> candidates, CancellationToken cancellationToken)
    {
        while (instances.Count > work.Replicas)
        {
            string extra = instances[^1];
            instances.RemoveAt(instances.Count - 1);
            var p = candidates[extra];
            await _engines.UnloadAsync(EngineUri(p), EngineOf(p), work.Name, work.ApiKey, cancellationToken);
        }
    }

    /// <summary>
    /// Step: place and load the missing replicas by policy; a load counts only once <c>/v1/models</c> lists it.
    /// Returns why a load failed, or null.
    /// </summary>
    private async Task<string?> PlaceAsync(Work work, ModelAdapter adapter, ModelAdapterStatus status, List<string> instances, Dictionary<string, V1Pod> candidates, CancellationToken cancellationToken)
    {
        if (instances.Count >= work.Replicas)
        {
            return null;
        }

        var load = AdapterCounts(work.Key);
        var open = candidates.Keys.Where(c => !instances.Contains(c))
            .Select(c => new PodLoad(c, load.GetValueOrDefault(c)))
            .ToList();
        var picks = PlacementPolicy.Pick(adapter.Spec.SchedulerName, open, work.Replicas - instances.Count, _options.MaxAdaptersPerPod, _random);
        if (picks.Count > 0)
        {
            status.Conditions = Conditions.Set(status.Conditions, "Scheduled", true, "Scheduled", "placed on " + string.Join(",", picks), work.Now, work.Generation);
        }
        else if (instances.Count == 0)
        {
            status.Conditions = Conditions.Set(status.Conditions, "Scheduled", false, "NoCandidates", "no ready pod matches the selector", work.Now, work.Generation);
        }

        string? failure = null;
        foreach (var pick in picks)
        {
            var p = candidates[pick];
            var uri = EngineUri(p);
            var (result, detail) = await _engines.LoadAsync(uri, EngineOf(p), work.Name, work.Path, work.ApiKey, cancellationToken);
            if (result == EngineCallResult.Ok && (await _engines.ListModelsAsync(uri, work.ApiKey, cancellationToken))?.Contains(work.Name) == true)
            {
                instances.Add(pick);
                await _events.RecordAsync(adapter, false, "Loaded", $"adapter loaded on pod {pick}", cancellationToken);
            }
            else
            {
                failure = $"load on {pick} failed: {(result == EngineCallResult.Ok ? "not listed in /v1/models after load" : detail)}";
            }
        }

        return failure;
    }

    /// <summary>
    /// Step: phase, Ready condition and when to look again. A failed load backs off and, after
    /// <see cref="ModelAdapterOptions.MaxLoadAttempts"/> with nothing loaded, fails the adapter.
    /// </summary>
    private async Task<ReconcileResult> ConcludeAsync(Work work, ModelAdapter adapter, ModelAdapterStatus status, int loaded, string? failure, DateTimeOffset clock, CancellationToken cancellationToken)
    {
        if (failure is not null)
        {
            int attempt = (_attempts.TryGetValue(work.Key, out var before) ? before.Attempts : 0) + 1;
            _attempts[work.Key] = (attempt, clock + _options.LoadRetry.Delay(attempt));
            if (attempt >= _options.MaxLoadAttempts && loaded == 0)
            {
                status.Phase = ModelAdapterPhase.Failed;
                status.Conditions = Conditions.Set(status.Conditions, "Ready", false, "LoadFailed", $"gave up after {attempt} attempts: {failure}", work.Now, work.Generation);
                await _events.RecordAsync(adapter, true, "LoadFailed", failure, cancellationToken);
                _attempts.TryRemove(work.Key, out _);
                return ReconcileResult.After(_options.Resync);
            }

            status.Phase = loaded > 0 ? ModelAdapterPhase.Running : ModelAdapterPhase.Scheduled;
            status.Conditions = Conditions.Set(status.Conditions, "Ready", loaded > 0, "Retrying", $"attempt {attempt}: {failure}", work.Now, work.Generation);
            return ReconcileResult.After(_options.LoadRetry.Delay(attempt));
        }

        if (loaded > 0)
        {
            _attempts.TryRemove(work.Key, out _);
            status.Phase = ModelAdapterPhase.Running;
            status.Conditions = Conditions.Set(status.Conditions, "Ready", true, "Loaded",
                string.Create(CultureInfo.InvariantCulture, $"{loaded}/{work.Replicas} replicas loaded"), work.Now, work.Generation);
        }
        else
        {
            status.Phase = ModelAdapterPhase.Pending;
            status.Conditions = Conditions.Set(status.Conditions, "Ready", false, "NoCandidates", "waiting for a ready pod", work.Now, work.Generation);
        }

        return ReconcileResult.After(_options.Resync);
    }

    private async Task FinalizeAsync(ModelAdapter adapter, CancellationToken cancellationToken)
    {
        if (adapter.Metadata.Finalizers?.Contains(ModelAdapter.Finalizer) != true)
        {
            return;
        }

        string? apiKey = adapter.Spec.AdditionalConfig?.GetValueOrDefault("api-key");
        var pods = _pods().Where(p => p.Metadata.NamespaceProperty == adapter.Metadata.NamespaceProperty).ToDictionary(p => p.Metadata.Name, StringComparer.Ordinal);
        foreach (var instance in adapter.Status?.Instances ?? [])
        {
            if (pods.TryGetValue(instance, out var pod) && PodReadiness.IsServing(pod))
            {
                var (result, detail) = await _engines.UnloadAsync(EngineUri(pod), EngineOf(pod), adapter.Metadata.Name, apiKey, cancellationToken);
                if (result == EngineCallResult.Transient)
                {
                    throw new InvalidOperationException($"unload from {instance} failed: {detail}"); // retried with backoff
                }
            }
        }

        adapter.Metadata.Finalizers.Remove(ModelAdapter.Finalizer);
        await _client.CustomObjects.ReplaceNamespacedCustomObjectAsync<ModelAdapter>(adapter, ModelAdapter.Group, ModelAdapter.Version,
            adapter.Metadata.NamespaceProperty, ModelAdapter.Plural, adapter.Metadata.Name, cancellationToken: cancellationToken);
    }

    private async Task EnsureServiceAsync(ModelAdapter adapter, IReadOnlyList<V1Pod> pods, CancellationToken cancellationToken)
    {
        string ns = adapter.Metadata.NamespaceProperty, name = adapter.Metadata.Name;
        var owner = new V1OwnerReference { ApiVersion = adapter.ApiVersion, Kind = adapter.Kind, Name = name, Uid = adapter.Metadata.Uid, BlockOwnerDeletion = true, Controller = true };
        int port = pods.Count > 0 ? PortOf(pods[0]) : ModelLabels.DefaultPort;
        if (await ReadOrNullAsync(() => _client.CoreV1.ReadNamespacedServiceAsync(name, ns, cancellationToken: cancellationToken)) is null)
        {
            await _client.CoreV1.CreateNamespacedServiceAsync(new V1Service
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, OwnerReferences = [owner], Labels = new Dictionary<string, string> { [ModelLabels.Name] = name } },
                Spec = new V1ServiceSpec { ClusterIP = "None", Ports = [new V1ServicePort { Name = "http", Port = port, Protocol = "TCP" }] },
            }, ns, cancellationToken: cancellationToken);
        }

        var endpoints = pods.Select(p => new V1Endpoint
        {
            Addresses = [p.Status.PodIP],
            Conditions = new V1EndpointConditions { Ready = true },
            TargetRef = new V1ObjectReference { Kind = "Pod", Name = p.Metadata.Name, NamespaceProperty = ns, Uid = p.Metadata.Uid },
        }).ToList();
        var slice = await ReadOrNullAsync(() => _client.DiscoveryV1.ReadNamespacedEndpointSliceAsync(name, ns, cancellationToken: cancellationToken));
        if (slice is null)
        {
            await _client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(new V1EndpointSlice
            {
                Metadata = new V1ObjectMeta
                {
                    Name = name, NamespaceProperty = ns, OwnerReferences = [owner],
                    Labels = new Dictionary<string, string> { [ServiceNameLabel] = name, ["endpointslice.kubernetes.io/managed-by"] = "modeladapter.aibrix.ai" },
                },
                AddressType = "IPv4",
                Endpoints = endpoints,
                Ports = [new Discoveryv1EndpointPort { Name = "http", Port = port, Protocol = "TCP" }],
            }, ns, cancellationToken: cancellationToken);
        }
        else if (!AddressesOf(slice.Endpoints).SequenceEqual(AddressesOf(endpoints)))
        {
            slice.Endpoints = endpoints;
            slice.Ports = [new Discoveryv1EndpointPort { Name = "http", Port = port, Protocol = "TCP" }];
            await _client.DiscoveryV1.ReplaceNamespacedEndpointSliceAsync(slice, name, ns, cancellationToken: cancellationToken);
        }

        static IEnumerable<string> AddressesOf(IEnumerable<V1Endpoint>? e) => (e ?? []).SelectMany(x => x.Addresses).Order(StringComparer.Ordinal);
    }

    private async Task WriteStatusAsync(ModelAdapter adapter, ModelAdapterStatus status, CancellationToken cancellationToken)
    {
        if (SameStatus(adapter.Status, status))
        {
            return; // nothing changed: no write, so no watch event, so no reconcile loop
        }

        adapter.Status = status;
        await _client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<ModelAdapter>(adapter, ModelAdapter.Group, ModelAdapter.Version,
            adapter.Metadata.NamespaceProperty, ModelAdapter.Plural, adapter.Metadata.Name, cancellationToken: cancellationToken);
    }

    private Dictionary<string, int> AdapterCounts(string exceptKey)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var a in _adapters())
        {
            if (Informer<ModelAdapter>.KeyOf(a) == exceptKey)
            {
                continue;
            }

            foreach (var pod in a.Status?.Instances ?? [])
            {
                counts[pod] = counts.GetValueOrDefault(pod) + 1;
            }
        }

        return counts;
    }

    private bool Validate(ModelAdapterSpec spec, out string path, out string error)
    {
        if (!ArtifactSource.TryResolve(spec.ArtifactUrl, out path, out error))
        {
            return false;
        }

        if (spec.Replicas is < 1)
        {
            error = "spec.replicas must be >= 1";
            return false;
        }

        if (!PlacementPolicy.IsKnown(spec.SchedulerName))
        {
            error = $"spec.schedulerName '{spec.SchedulerName}' is not one of leastAdapters, binPack, random";
            return false;
        }

        if (spec.PodSelector is null && string.IsNullOrEmpty(spec.BaseModel))
        {
            error = "spec.podSelector or spec.baseModel is required";
            return false;
        }

        return true;
    }

    private async Task<ModelAdapter?> GetAsync(string ns, string name, CancellationToken cancellationToken) =>
        await ReadOrNullAsync(() => _client.CustomObjects.GetNamespacedCustomObjectAsync<ModelAdapter>(ModelAdapter.Group, ModelAdapter.Version, ns, ModelAdapter.Plural, name, cancellationToken));

    private static async Task<T?> ReadOrNullAsync<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static bool SameStatus(ModelAdapterStatus? a, ModelAdapterStatus b) =>
        a is not null
        && a.Phase == b.Phase
        && a.ReadyReplicas == b.ReadyReplicas
        && a.ObservedGeneration == b.ObservedGeneration
        && (a.Instances ?? []).SequenceEqual(b.Instances ?? [])
        && (a.Candidates ?? []).SequenceEqual(b.Candidates ?? [])
        && (a.Conditions ?? []).Count == (b.Conditions ?? []).Count
        && (a.Conditions ?? []).Zip(b.Conditions ?? []).All(p => p.First.Type == p.Second.Type && p.First.Status == p.Second.Status
            && p.First.Reason == p.Second.Reason && p.First.Message == p.Second.Message);

    private static ModelAdapterStatus CopyStatus(ModelAdapterStatus? s) => new()
    {
        Phase = s?.Phase,
        Conditions = s?.Conditions?.Select(c => new V1Condition
        {
            Type = c.Type, Status = c.Status, Reason = c.Reason, Message = c.Message, LastTransitionTime = c.LastTransitionTime, ObservedGeneration = c.ObservedGeneration,
        }).ToList(),
        Instances = s?.Instances?.ToList(),
        Candidates = s?.Candidates?.ToList(),
        ReadyReplicas = s?.ReadyReplicas ?? 0,
        ObservedGeneration = s?.ObservedGeneration,
    };

    private static (string Ns, string Name) Split(string key)
    {
        int slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? ("default", key) : (key[..slash], key[(slash + 1)..]);
    }

    private static int PortOf(V1Pod pod) =>
        pod.Metadata.Labels?.TryGetValue(ModelLabels.Port, out var text) == true && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port)
            ? port : ModelLabels.DefaultPort;

    private static EngineKind EngineOf(V1Pod pod) =>
        PodEndpointMapper.ParseEngine(pod.Metadata.Labels?.TryGetValue(ModelLabels.Engine, out var e) == true ? e : null);

    private static Uri EngineUri(V1Pod pod)
    {
        string ip = pod.Status.PodIP;
        string host = ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]" : ip;
        return new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{host}:{PortOf(pod)}/"));
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "{Key}: adapter no longer on pod {Pod} (pod gone, not ready, or engine lost it); placing again")]
        public static partial void Lost(ILogger logger, string key, string pod);
    }
}
