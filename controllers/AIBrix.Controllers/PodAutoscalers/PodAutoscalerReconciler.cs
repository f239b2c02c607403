using AIBrix.Autoscaling;
using AIBrix.Autoscaling.Decisions;
using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Runtime;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AIBrix.Controllers.PodAutoscalers;

/// <summary>
/// Reconciles one PodAutoscaler every <see cref="PodAutoscalerOptions.Interval"/>, in named steps: parse the spec and
/// annotations (ValidSpec), resolve the target and settle who owns it (Conflicted), then either keep the owned HPA
/// (strategy HPA) or remove it and run the autoscaler: read the scale subresource (AbleToScale), collect every metric
/// source from the target's ready pods or endpoints, decide, write the scale and an event when the count changes,
/// and write status (desired, actual, history, ScalingActive, ScalingLimited) only when it changed.
/// </summary>
public sealed partial class PodAutoscalerReconciler : IReconciler
{
    private readonly Func<string, PodAutoscaler?> _find;
    private readonly PodAutoscalerOptions _options;
    private readonly EventRecorder _events;
    private readonly ILogger _logger;
    private readonly ScaleClient _scales;
    private readonly HpaSync _hpa;
    private readonly MetricCollector _collector;
    private readonly PodAutoscalerStore _store;
    private long _scaleWrites;
    private long _scaleFailures;

    internal PodAutoscalerReconciler(IKubernetes client, HttpClient http, Func<string, PodAutoscaler?> find, Func<IEnumerable<PodAutoscaler>> all,
        ReadyPodIndex readyPods, EventRecorder events, PodAutoscalerOptions options, ILogger? logger = null)
    {
        _find = find;
        Claims = new TargetClaims(all);
        ReadyPods = readyPods;
        _options = options;
        _events = events;
        _logger = logger ?? NullLogger.Instance;
        _scales = new ScaleClient(client);
        _hpa = new HpaSync(client);
        _collector = new MetricCollector(client, new MetricsPageReader(http, options.ScrapeTimeout));
        _store = new PodAutoscalerStore(client);
        States = new AutoscalerStates(options.Time);
    }

    /// <summary>Scale subresource writes that succeeded.</summary>
    public long ScaleWrites => Interlocked.Read(ref _scaleWrites);

    /// <summary>Scale subresource writes that failed.</summary>
    public long ScaleFailures => Interlocked.Read(ref _scaleFailures);

    internal AutoscalerStates States { get; }

    internal ReadyPodIndex ReadyPods { get; }

    internal TargetClaims Claims { get; }

    /// <inheritdoc/>
    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var again = ReconcileResult.After(_options.Interval);
        var pa = _find(key);
        if (pa is null || pa.Metadata.DeletionTimestamp is not null)
        {
            await ForgetAsync(key, cancellationToken);
            return ReconcileResult.Done;
        }

        var now = _options.Time.GetUtcNow().UtcDateTime;
        var entry = States.Of(key);
        var work = new Work(pa, PodAutoscalerStore.Base(pa, entry.WrittenStatus), now, entry);
        work.Status.ObservedGeneration = pa.Metadata.Generation;
        var parsed = PodAutoscalerSpecs.Parse(pa);
        bool resolved = ScaleTarget.TryResolve(pa.Spec.ScaleTargetRef, pa.Metadata.NamespaceProperty ?? "default", out var target, out var targetError);
        SetValidSpec(work, parsed.Errors, parsed.Warnings, targetError);
        if (!resolved || parsed.Settings is not { } settings)
        {
            work.Set(PodAutoscalerConditions.ScalingActive, false, "InvalidSpec", "the spec has errors (see ValidSpec)");
            entry.WrittenStatus = await _store.WriteStatusAsync(pa, work.Status, entry.WrittenStatus, cancellationToken);
            return again;
        }

        var owner = Claims.Owner(pa, target!);
        if (!ReferenceEquals(owner, pa))
        {
            work.Set(PodAutoscalerConditions.Conflicted, true, "TargetClaimed", $"{target} is scaled by PodAutoscaler {owner.Metadata.Name}, the older claim; this one waits");
            work.Set(PodAutoscalerConditions.ScalingActive, false, "Conflicted", "another PodAutoscaler scales the target");
            entry.WrittenStatus = await _store.WriteStatusAsync(pa, work.Status, entry.WrittenStatus, cancellationToken);
            return again;
        }

        work.Set(PodAutoscalerConditions.Conflicted, false, "NoConflict", $"the only PodAutoscaler of {target}");
        if (settings.Strategy == ScalingStrategy.Hpa)
        {
            await DelegateToHpaAsync(work, settings, target!, cancellationToken);
        }
        else
        {
            await ClearHpaAsync(work, cancellationToken);
            await ScaleAsync(work, settings, target!, key, cancellationToken);
        }

        entry.WrittenStatus = await _store.WriteStatusAsync(pa, work.Status, entry.WrittenStatus, cancellationToken);
        return again;
    }

    /// <summary>Step (strategy HPA): keep the owned HorizontalPodAutoscaler as the spec describes it.</summary>
    private async Task DelegateToHpaAsync(Work work, AutoscalerSettings settings, ScaleTarget target, CancellationToken cancellationToken)
    {
        work.Entry.Autoscaler = null; // a later switch back to KPA/APA starts from fresh windows
        work.Entry.HpaCleared = false;
        string? problem = await _hpa.EnsureAsync(work.Pa, settings, target, cancellationToken);
        work.Set(PodAutoscalerConditions.AbleToScale, problem is null, problem is null ? "HPAReady" : "HPANotOwned",
            problem ?? $"HorizontalPodAutoscaler {work.Pa.Metadata.Name} scales {target}");
        work.Set(PodAutoscalerConditions.ScalingActive, problem is null, problem is null ? "DelegatedToHPA" : "HPANotOwned",
            problem ?? "Kubernetes' HPA reads the metrics and decides");
    }

    /// <summary>Step (KPA/APA): remove an HPA this PodAutoscaler owned under strategy HPA, once per change of strategy.</summary>
    private async Task ClearHpaAsync(Work work, CancellationToken cancellationToken)
    {
        if (work.Entry.HpaCleared)
        {
            return;
        }

        if (await _hpa.DeleteOwnedAsync(work.Pa.Metadata.NamespaceProperty, work.Pa.Metadata.Name, cancellationToken))
        {
            await _events.RecordAsync(work.Pa, false, "HPADeleted", $"strategy is {work.Pa.Spec.ScalingStrategy}: deleted HorizontalPodAutoscaler {work.Pa.Metadata.Name}", cancellationToken);
        }

        work.Entry.HpaCleared = true;
    }

    /// <summary>Steps (KPA/APA): read the scale, collect metrics, decide, write the scale when it changes.</summary>
    private async Task ScaleAsync(Work work, AutoscalerSettings settings, ScaleTarget target, string key, CancellationToken cancellationToken)
    {
        V1Scale? scale;
        try
        {
            scale = await _scales.ReadAsync(target, cancellationToken);
        }
        catch (HttpOperationException e)
        {
            work.Set(PodAutoscalerConditions.AbleToScale, false, "FailedGetScale", $"reading the scale of {target}: HTTP {(int)e.Response.StatusCode} {e.Response.ReasonPhrase}");
            return;
        }

        if (scale is null)
        {
            work.Set(PodAutoscalerConditions.AbleToScale, false, "TargetNotFound", $"{target} does not exist");
            work.Set(PodAutoscalerConditions.ScalingActive, false, "TargetNotFound", $"{target} does not exist");
            return;
        }

        int current = scale.Spec?.Replicas ?? 0;
        var ready = ReadyPods.Of(target.Namespace, scale.Status?.Selector);
        var autoscaler = States.AutoscalerOf(work.Entry, settings, PodAutoscalerSpecs.Fingerprint(work.Pa), ready.Count);
        var failures = new List<string>();
        var sources = work.Pa.Spec.MetricsSources ?? [];
        var collected = await Task.WhenAll(sources.Select(s => _collector.CollectAsync(s, target.Namespace, scale.Status?.Selector, ready, cancellationToken)));
        for (int i = 0; i < collected.Length; i++)
        {
            if (collected[i].Observation is { } observation)
            {
                autoscaler.Observe(i, observation);
            }

            failures.AddRange(collected[i].Failures);
        }

        var decision = autoscaler.Decide(new ScaleState(current, ready.Count));
        Log.Decided(_logger, key, decision.Reason);
        work.Status.DesiredScale = decision.DesiredReplicas;
        work.Status.ActualScale = scale.Status?.Replicas ?? current;
        work.Status.ScheduledBounds = new PodAutoscalerScheduledBounds
        {
            ActiveSchedule = decision.Bounds.Schedule, EffectiveMinReplicas = decision.Bounds.Min, EffectiveMaxReplicas = decision.Bounds.Max,
        };
        string? scaleError = decision.Changes ? await WriteScaleAsync(work, target, scale, decision, cancellationToken) : null;
        work.Set(PodAutoscalerConditions.AbleToScale, scaleError is null, scaleError is null ? "SucceededGetScale" : "FailedUpdateScale",
            scaleError ?? $"the scale of {target} can be read and written");
        SetScalingActive(work, decision, ready.Count, failures);
        var clamp = decision.ClampedBy;
        work.Set(PodAutoscalerConditions.ScalingLimited, clamp != ScaleLimit.None, clamp != ScaleLimit.None ? clamp.ToString() : "DesiredWithinRange",
            clamp != ScaleLimit.None ? $"the recommendation {decision.RecommendedReplicas} was limited by {clamp}" : "the recommendation was applied as it is");
    }

    private async Task<string?> WriteScaleAsync(Work work, ScaleTarget target, V1Scale scale, ScaleDecision decision, CancellationToken cancellationToken)
    {
        string? error = null;
        try
        {
            await _scales.WriteAsync(target, scale, decision.DesiredReplicas, cancellationToken);
            Interlocked.Increment(ref _scaleWrites);
            work.Status.LastScaleTime = work.Now;
            await _events.RecordAsync(work.Pa, false, "SuccessfulRescale",
                $"New size: {decision.DesiredReplicas}; reason: {decision.Reason}", cancellationToken);
        }
        catch (HttpOperationException e)
        {
            Interlocked.Increment(ref _scaleFailures);
            error = $"writing the scale of {target}: HTTP {(int)e.Response.StatusCode} {e.Response.ReasonPhrase}";
            await _events.RecordAsync(work.Pa, true, "FailedRescale", $"New size: {decision.DesiredReplicas}; {error}", cancellationToken);
        }

        var history = work.Status.ScalingHistory ??= [];
        history.Add(new PodAutoscalerScalingDecision
        {
            Timestamp = work.Now, PreviousScale = decision.CurrentReplicas, NewScale = decision.DesiredReplicas, Reason = decision.Reason,
            Success = error is null, Error = error,
        });
        if (history.Count > PodAutoscaler.HistoryLength)
        {
            history.RemoveRange(0, history.Count - PodAutoscaler.HistoryLength);
        }

        return error;
    }

    private static void SetValidSpec(Work work, IReadOnlyList<string> errors, IReadOnlyList<string> warnings, string? targetError)
    {
        var all = targetError is null ? errors : [targetError, .. errors];
        if (all.Count > 0)
        {
            bool annotationsOnly = targetError is null && errors.All(e => !e.StartsWith("spec", StringComparison.Ordinal));
            work.Set(PodAutoscalerConditions.ValidSpec, false, annotationsOnly ? "InvalidAnnotations" : "InvalidSpec", string.Join("; ", all));
            return;
        }

        work.Set(PodAutoscalerConditions.ValidSpec, true, "Valid", warnings.Count == 0 ? "spec and annotations parsed" : "warnings: " + string.Join("; ", warnings));
    }

    private static void SetScalingActive(Work work, ScaleDecision decision, int readyPods, List<string> failures)
    {
        string left = failures.Count == 0 ? "" : $"; left out: {string.Join("; ", failures.Take(5))}{(failures.Count > 5 ? $" (+{failures.Count - 5} more)" : "")}";
        if (decision.HasRecommendation)
        {
            work.Set(PodAutoscalerConditions.ScalingActive, true, "ValidMetricFound", $"deciding on {decision.DecidingMetric} over {readyPods} ready pods{left}");
        }
        else
        {
            work.Set(PodAutoscalerConditions.ScalingActive, false, readyPods == 0 ? "NoReadyPods" : "FailedGetMetrics",
                (readyPods == 0 ? "no ready pod of the target to read" : "no metric sample arrived") + left);
        }
    }

    private async Task ForgetAsync(string key, CancellationToken cancellationToken)
    {
        States.Forget(key);
        int slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            await _hpa.DeleteOwnedAsync(key[..slash], key[(slash + 1)..], cancellationToken);
        }
    }

    /// <summary>One reconcile's PodAutoscaler, the status being built, and its kept state.</summary>
    private sealed record Work(PodAutoscaler Pa, PodAutoscalerStatus Status, DateTime Now, AutoscalerStates.Entry Entry)
    {
        public void Set(string type, bool status, string reason, string message) =>
            Status.Conditions = Conditions.Set(Status.Conditions, type, status, reason, message, Now, Pa.Metadata.Generation);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "{Key}: {Reason}")]
        public static partial void Decided(ILogger logger, string key, string reason);
    }
}
