using System.Text.Json.Serialization;
using k8s.Models;

namespace AIBrix.Kubernetes.Crds;

/// <summary>
/// <c>autoscaling.aibrix.ai/v1alpha1 PodAutoscaler</c>: scales a target (Deployment, StatefulSet, anything with a
/// scale subresource) on LLM metrics with KPA, APA or a Kubernetes HPA. Field names match AIBrix's Go types so
/// existing manifests apply unchanged; tuning knobs are <c>autoscaling.aibrix.ai/*</c> annotations.
/// </summary>
public sealed class PodAutoscaler() : CustomResource<PodAutoscalerSpec, PodAutoscalerStatus>(Group + "/" + Version, KindName)
{
    /// <summary>API group.</summary>
    public const string Group = "autoscaling.aibrix.ai";

    /// <summary>API version inside the group.</summary>
    public const string Version = "v1alpha1";

    /// <summary>Resource name in URLs.</summary>
    public const string Plural = "podautoscalers";

    /// <summary>Kind.</summary>
    public const string KindName = "PodAutoscaler";

    /// <summary>How many decisions <see cref="PodAutoscalerStatus.ScalingHistory"/> keeps (AIBrix's limit).</summary>
    public const int HistoryLength = 5;
}

/// <summary>The desired behaviour of a <see cref="PodAutoscaler"/>.</summary>
public sealed class PodAutoscalerSpec
{
    /// <summary>The object to scale through its scale subresource (kind, name, apiVersion; same namespace).</summary>
    [JsonPropertyName("scaleTargetRef")]
    public V1ObjectReference ScaleTargetRef { get; set; } = new();

    /// <summary>The fewest replicas (default 1; 0 needs the scale-to-zero annotation).</summary>
    [JsonPropertyName("minReplicas")]
    public int? MinReplicas { get; set; }

    /// <summary>The most replicas.</summary>
    [JsonPropertyName("maxReplicas")]
    public int MaxReplicas { get; set; }

    /// <summary>The metrics to scale on; the highest recommendation among them wins.</summary>
    [JsonPropertyName("metricsSources")]
    public List<PodAutoscalerMetricSource>? MetricsSources { get; set; }

    /// <summary>One of <see cref="PodAutoscalerStrategies"/>.</summary>
    [JsonPropertyName("scalingStrategy")]
    public string ScalingStrategy { get; set; } = "";

    /// <summary>The stable window in seconds (default 180).</summary>
    [JsonPropertyName("observeWindowSeconds")]
    public long? ObserveWindowSeconds { get; set; }

    /// <summary>KPA's panic window in seconds (default 60; at most <see cref="ObserveWindowSeconds"/>).</summary>
    [JsonPropertyName("panicWindowSeconds")]
    public long? PanicWindowSeconds { get; set; }

    /// <summary>Daily windows that override the replica bounds.</summary>
    [JsonPropertyName("schedules")]
    public List<PodAutoscalerSchedule>? Schedules { get; set; }
}

/// <summary>Where a metric comes from and the value to hold it at (AIBrix's <c>MetricSource</c>).</summary>
public sealed class PodAutoscalerMetricSource
{
    /// <summary>One of <see cref="PodAutoscalerMetricSourceTypes"/>.</summary>
    [JsonPropertyName("metricSourceType")]
    public string MetricSourceType { get; set; } = "";

    /// <summary><c>http</c> or <c>https</c>, for pod and external sources.</summary>
    [JsonPropertyName("protocolType")]
    public string? ProtocolType { get; set; }

    /// <summary>External sources: host[:port] of the service (e.g. the GPU optimizer).</summary>
    [JsonPropertyName("endpoint")]
    public string? Endpoint { get; set; }

    /// <summary>The metrics path (e.g. <c>/metrics</c>).</summary>
    [JsonPropertyName("path")]
    public string? Path { get; set; }

    /// <summary>Pod sources: the port to scrape, as a string (AIBrix's type).</summary>
    [JsonPropertyName("port")]
    public string? Port { get; set; }

    /// <summary>The metric (engine names are mapped, so <c>gpu_cache_usage_perc</c> means KV-cache usage on any engine).</summary>
    [JsonPropertyName("targetMetric")]
    public string TargetMetric { get; set; } = "";

    /// <summary>The target per pod, a decimal string (e.g. <c>"0.5"</c>).</summary>
    [JsonPropertyName("targetValue")]
    public string TargetValue { get; set; } = "";
}

/// <summary>A recurring daily window with replica bounds (AIBrix's <c>PodAutoscalerSchedule</c>).</summary>
public sealed class PodAutoscalerSchedule
{
    /// <summary>A DNS label, unique in the list.</summary>
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    /// <summary>An IANA timezone (default UTC).</summary>
    [JsonPropertyName("timezone")]
    public string? Timezone { get; set; }

    /// <summary>Mon ... Sun (default every day).</summary>
    [JsonPropertyName("daysOfWeek")]
    public List<string>? DaysOfWeek { get; set; }

    /// <summary>Inclusive start, HH:MM local time.</summary>
    [JsonPropertyName("startTime")]
    public string StartTime { get; set; } = "";

    /// <summary>Exclusive end, HH:MM local time, after the start.</summary>
    [JsonPropertyName("endTime")]
    public string EndTime { get; set; } = "";

    /// <summary>The minimum while active.</summary>
    [JsonPropertyName("minReplicas")]
    public int? MinReplicas { get; set; }

    /// <summary>The maximum while active.</summary>
    [JsonPropertyName("maxReplicas")]
    public int? MaxReplicas { get; set; }
}

/// <summary>The observed state of a <see cref="PodAutoscaler"/>.</summary>
public sealed class PodAutoscalerStatus
{
    /// <summary>When the target's replica count was last changed.</summary>
    [JsonPropertyName("lastScaleTime")]
    public DateTime? LastScaleTime { get; set; }

    /// <summary>The replica count the autoscaler decided.</summary>
    [JsonPropertyName("desiredScale")]
    public int DesiredScale { get; set; }

    /// <summary>The target's replica count as observed.</summary>
    [JsonPropertyName("actualScale")]
    public int ActualScale { get; set; }

    /// <summary>Typed conditions, one of each of <see cref="PodAutoscalerConditions"/>.</summary>
    [JsonPropertyName("conditions")]
    public List<V1Condition>? Conditions { get; set; }

    /// <summary>The last <see cref="PodAutoscaler.HistoryLength"/> scaling decisions, newest last.</summary>
    [JsonPropertyName("scalingHistory")]
    public List<PodAutoscalerScalingDecision>? ScalingHistory { get; set; }

    /// <summary>The bounds in force and the schedule that set them.</summary>
    [JsonPropertyName("scheduledBounds")]
    public PodAutoscalerScheduledBounds? ScheduledBounds { get; set; }

    /// <summary>The spec generation this status describes.</summary>
    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }
}

/// <summary>One scaling decision as status records it (AIBrix's <c>ScalingDecision</c>).</summary>
public sealed class PodAutoscalerScalingDecision
{
    /// <summary>When it was made.</summary>
    [JsonPropertyName("timestamp")]
    public DateTime Timestamp { get; set; }

    /// <summary>Replicas before.</summary>
    [JsonPropertyName("previousScale")]
    public int PreviousScale { get; set; }

    /// <summary>Replicas after.</summary>
    [JsonPropertyName("newScale")]
    public int NewScale { get; set; }

    /// <summary>Why: the mode, window values and every limit that moved the count.</summary>
    [JsonPropertyName("reason")]
    public string Reason { get; set; } = "";

    /// <summary>Whether the scale subresource accepted the new count.</summary>
    [JsonPropertyName("success")]
    public bool Success { get; set; }

    /// <summary>The failure, when <see cref="Success"/> is false.</summary>
    [JsonPropertyName("error")]
    public string? Error { get; set; }
}

/// <summary>The replica bounds in force (AIBrix's <c>ScheduledBoundsStatus</c>).</summary>
public sealed class PodAutoscalerScheduledBounds
{
    /// <summary>The active schedule's name; absent when the base bounds apply.</summary>
    [JsonPropertyName("activeSchedule")]
    public string? ActiveSchedule { get; set; }

    /// <summary>The minimum in force.</summary>
    [JsonPropertyName("effectiveMinReplicas")]
    public int EffectiveMinReplicas { get; set; }

    /// <summary>The maximum in force.</summary>
    [JsonPropertyName("effectiveMaxReplicas")]
    public int EffectiveMaxReplicas { get; set; }
}

/// <summary>A list of <see cref="PodAutoscaler"/>, as the API server returns it.</summary>
public sealed class PodAutoscalerList() : CustomResourceList<PodAutoscaler>(PodAutoscaler.Group + "/" + PodAutoscaler.Version, "PodAutoscalerList");

/// <summary>Values of <see cref="PodAutoscalerSpec.ScalingStrategy"/>.</summary>
public static class PodAutoscalerStrategies
{
    /// <summary>Kubernetes' HorizontalPodAutoscaler, created and owned by the PodAutoscaler.</summary>
    public const string Hpa = "HPA";

    /// <summary>Knative's Pod Autoscaler with stable and panic windows.</summary>
    public const string Kpa = "KPA";

    /// <summary>AIBrix's Pod Autoscaler with up and down tolerances.</summary>
    public const string Apa = "APA";

    /// <summary>Every value.</summary>
    public static readonly IReadOnlyList<string> All = [Hpa, Kpa, Apa];
}

/// <summary>Values of <see cref="PodAutoscalerMetricSource.MetricSourceType"/>.</summary>
public static class PodAutoscalerMetricSourceTypes
{
    /// <summary>Each ready pod's metrics endpoint.</summary>
    public const string Pod = "pod";

    /// <summary>metrics.k8s.io (cpu, memory).</summary>
    public const string Resource = "resource";

    /// <summary>custom.metrics.k8s.io.</summary>
    public const string Custom = "custom";

    /// <summary>One value for the target from an HTTP endpoint or external.metrics.k8s.io.</summary>
    public const string External = "external";

    /// <summary>AIBrix's deprecated name for <see cref="External"/>; accepted so old manifests apply.</summary>
    public const string Domain = "domain";

    /// <summary>Every value the CRD accepts.</summary>
    public static readonly IReadOnlyList<string> All = [Pod, Resource, Custom, External, Domain];
}

/// <summary>The condition types a <see cref="PodAutoscaler"/> reports.</summary>
public static class PodAutoscalerConditions
{
    /// <summary>The spec and every <c>autoscaling.aibrix.ai/*</c> annotation parsed; False lists each problem.</summary>
    public const string ValidSpec = "ValidSpec";

    /// <summary>The target exists and its scale subresource can be read and written.</summary>
    public const string AbleToScale = "AbleToScale";

    /// <summary>Metrics are arriving and decisions are being made.</summary>
    public const string ScalingActive = "ScalingActive";

    /// <summary>The last decision was clamped by a rate, cooldown, schedule or bound (as Kubernetes' HPA reports it).</summary>
    public const string ScalingLimited = "ScalingLimited";

    /// <summary>True when another PodAutoscaler (or HPA) claims the same target; only the oldest one scales it.</summary>
    public const string Conflicted = "Conflicted";

    /// <summary>Every type.</summary>
    public static readonly IReadOnlyList<string> All = [ValidSpec, AbleToScale, ScalingActive, ScalingLimited, Conflicted];
}
