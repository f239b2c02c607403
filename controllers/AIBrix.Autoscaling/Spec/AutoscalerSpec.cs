namespace AIBrix.Autoscaling.Spec;

/// <summary>
/// A PodAutoscaler's spec as written (strings where the CRD has strings), without any Kubernetes type: the
/// controller copies its CRD object into it, the simulation fills it from its command line.
/// </summary>
public sealed record AutoscalerSpec
{
    /// <summary><c>scalingStrategy</c>: HPA, KPA or APA.</summary>
    public string? ScalingStrategy { get; init; }

    /// <summary><c>minReplicas</c> (default 1).</summary>
    public int? MinReplicas { get; init; }

    /// <summary><c>maxReplicas</c>.</summary>
    public int MaxReplicas { get; init; }

    /// <summary><c>metricsSources</c>.</summary>
    public IReadOnlyList<MetricSourceSpec> MetricsSources { get; init; } = [];

    /// <summary><c>observeWindowSeconds</c>: the stable window (default 180).</summary>
    public long? ObserveWindowSeconds { get; init; }

    /// <summary><c>panicWindowSeconds</c>: the panic window (default 60).</summary>
    public long? PanicWindowSeconds { get; init; }

    /// <summary><c>schedules</c>.</summary>
    public IReadOnlyList<ScheduleSpec> Schedules { get; init; } = [];
}

/// <summary>One <c>metricsSources[]</c> entry, as far as the algorithm needs it (where to scrape is the controller's business).</summary>
/// <param name="MetricSourceType">pod, resource, custom, external (or the deprecated domain).</param>
/// <param name="TargetMetric">The metric's name.</param>
/// <param name="TargetValue">The target, a decimal string.</param>
public sealed record MetricSourceSpec(string? MetricSourceType, string? TargetMetric, string? TargetValue);

/// <summary>One <c>schedules[]</c> entry, as written.</summary>
public sealed record ScheduleSpec
{
    /// <summary>A DNS label, unique within the autoscaler.</summary>
    public string? Name { get; init; }

    /// <summary>An IANA timezone; UTC when empty.</summary>
    public string? Timezone { get; init; }

    /// <summary>Mon ... Sun; every day when empty.</summary>
    public IReadOnlyList<string>? DaysOfWeek { get; init; }

    /// <summary>HH:MM, inclusive.</summary>
    public string? StartTime { get; init; }

    /// <summary>HH:MM, exclusive, after <see cref="StartTime"/>.</summary>
    public string? EndTime { get; init; }

    /// <summary>The minimum while active.</summary>
    public int? MinReplicas { get; init; }

    /// <summary>The maximum while active.</summary>
    public int? MaxReplicas { get; init; }
}
