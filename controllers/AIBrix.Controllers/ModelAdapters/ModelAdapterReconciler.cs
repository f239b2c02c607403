using AIBrix.Controllers.ModelAdapters.Steps;
using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Runtime;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AIBrix.Controllers.ModelAdapters;

/// <summary>
/// Reconciles one ModelAdapter in named steps, each a class in <c>Steps/</c>: on delete, unload everywhere and release
/// the finalizer; else hold the finalizer, validate the spec, select candidate pods, verify the listed instances against
/// the engines' <c>/v1/models</c>, unload replicas beyond the spec, schedule and load the missing ones (confirmed in
/// <c>/v1/models</c> before they count), keep the headless Service and EndpointSlice, conclude phase and Ready, and write
/// status only when it changed. Failing loads retry with backoff and fail the adapter after
/// <see cref="ModelAdapterOptions.MaxLoadAttempts"/>.
/// </summary>
public sealed class ModelAdapterReconciler : IReconciler
{
    /// <summary>Label on the EndpointSlice naming its Service.</summary>
    public const string ServiceNameLabel = AdapterEndpoints.ServiceNameLabel;

    private readonly Func<IEnumerable<V1Pod>> _pods;
    private readonly Func<IEnumerable<ModelAdapter>> _adapters;
    private readonly EventRecorder _events;
    private readonly ModelAdapterOptions _options;
    private readonly Random _random;
    private readonly AdapterStore _store;
    private readonly AdapterFinalizer _finalizer;
    private readonly InstanceVerifier _verifier;
    private readonly AdapterLoader _loader;
    private readonly AdapterEndpoints _endpoints;
    private readonly LoadRetries _retries;

    /// <summary>Creates the reconciler over caches of pods and adapters (from informers).</summary>
    public ModelAdapterReconciler(IKubernetes client, Func<IEnumerable<V1Pod>> pods, Func<IEnumerable<ModelAdapter>> adapters,
        EngineAdapterClient engines, EventRecorder events, ModelAdapterOptions options, ILogger? logger = null)
    {
        _pods = pods;
        _adapters = adapters;
        _events = events;
        _options = options;
        _random = options.Seed is { } seed ? new Random(seed) : new Random();
        var podEngines = new PodEngines(engines);
        _store = new AdapterStore(client);
        _finalizer = new AdapterFinalizer(_store, podEngines, pods);
        _verifier = new InstanceVerifier(podEngines, logger ?? NullLogger.Instance);
        _loader = new AdapterLoader(podEngines, new AdapterCredentials(client), events);
        _endpoints = new AdapterEndpoints(client);
        _retries = new LoadRetries(options.LoadRetry);
    }

    /// <inheritdoc/>
    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = Split(key);
        var adapter = await _store.GetAsync(ns, name, cancellationToken);
        if (adapter is null)
        {
            _retries.Forget(key);
            return ReconcileResult.Done;
        }

        if (adapter.Metadata.DeletionTimestamp is not null)
        {
            await _finalizer.FinalizeAsync(adapter, cancellationToken);
            _retries.Forget(key);
            return ReconcileResult.Done;
        }

        adapter = await _store.EnsureFinalizerAsync(adapter, cancellationToken);

        var now = _options.Time.GetUtcNow().UtcDateTime;
        long? generation = adapter.Metadata.Generation;
        var status = StatusSnapshot.Copy(adapter.Status);
        var spec = SpecValidation.Check(adapter.Spec);
        if (!spec.IsValid)
        {
            status.Phase = ModelAdapterPhase.Failed;
            status.Conditions = spec.Condition.ApplyTo(status.Conditions, now, generation);
            await _store.WriteStatusAsync(adapter, status, cancellationToken);
            return ReconcileResult.Done;
        }

        if (ReadyVerdict.GaveUpOn(status, generation))
        {
            return ReconcileResult.Done;
        }

        status.Conditions = spec.Condition.ApplyTo(status.Conditions, now, generation);
        var work = new AdapterWork(key, ns, name, spec.Path, AdapterSpecs.ApiKey(adapter.Spec), AdapterSpecs.DesiredReplicas(adapter.Spec), now, generation);
        var candidates = CandidateSelection.Select(adapter.Spec, ns, _pods());
        status.Candidates = candidates.Keys.Order(StringComparer.Ordinal).ToList();
        var instances = await _verifier.VerifyAsync(work, status.Instances, candidates, cancellationToken);

        var extras = ReplicaPlan.Extras(instances, work.Replicas);
        instances.RemoveRange(instances.Count - extras.Count, extras.Count);
        await _loader.UnloadAsync(work, extras, candidates, cancellationToken);

        var clock = _options.Time.GetUtcNow();
        bool waiting = _retries.IsWaiting(key, clock, out var backoffLeft);
        string? failure = null;
        if (!waiting)
        {
            var placement = ReplicaPlan.Schedule(key, instances, work.Replicas, candidates.Keys, _adapters(), adapter.Spec.SchedulerName, _options.MaxAdaptersPerPod, _random);
            if (placement.Condition is { } scheduled)
            {
                status.Conditions = scheduled.ApplyTo(status.Conditions, now, generation);
            }

            var loads = await _loader.LoadAsync(work, adapter, placement.Picks, candidates, cancellationToken);
            instances.AddRange(loads.Loaded);
            failure = loads.Failure;
        }

        await _endpoints.EnsureAsync(adapter, instances.Select(i => candidates[i]).ToList(), cancellationToken);

        status.Instances = instances.Order(StringComparer.Ordinal).ToList();
        status.ReadyReplicas = instances.Count;
        status.ObservedGeneration = generation;
        var next = waiting
            ? ReconcileResult.After(backoffLeft) // our own status write woke us during a backoff: keep phase and conditions
            : await ConcludeAsync(work, adapter, status, instances.Count, failure, clock, cancellationToken);
        await _store.WriteStatusAsync(adapter, status, cancellationToken);
        return next;
    }

    /// <summary>Step: conclude. Applies the <see cref="ReadyVerdict"/>, counting a failed load and forgetting it once loaded or given up.</summary>
    private async Task<ReconcileResult> ConcludeAsync(AdapterWork work, ModelAdapter adapter, ModelAdapterStatus status, int loaded, string? failure,
        DateTimeOffset clock, CancellationToken cancellationToken)
    {
        int attempt = failure is null ? 0 : _retries.Fail(work.Key, clock);
        var verdict = ReadyVerdict.Decide(loaded, work.Replicas, failure, attempt, _options);
        status.Phase = verdict.Phase;
        status.Conditions = verdict.Ready.ApplyTo(status.Conditions, work.Now, work.Generation);
        if (verdict.GaveUp)
        {
            await _events.RecordAsync(adapter, true, "LoadFailed", failure!, cancellationToken);
            _retries.Forget(work.Key);
        }
        else if (failure is null && loaded > 0)
        {
            _retries.Forget(work.Key);
        }

        return ReconcileResult.After(verdict.RequeueAfter);
    }

    private static (string Ns, string Name) Split(string key)
    {
        int slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? ("default", key) : (key[..slash], key[(slash + 1)..]);
    }
}
