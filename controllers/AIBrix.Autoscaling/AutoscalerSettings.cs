using AIBrix.Autoscaling.Schedules;

namespace AIBrix.Autoscaling;

/// <summary>
/// Everything one autoscaler needs to decide, already parsed: the strategy, its metrics, the bounds and every
/// tuning knob. Build it from a PodAutoscaler with <see cref="Spec.AutoscalerSpecParser"/>, or directly (the
/// simulation does). <see cref="Validate"/> lists every problem at once.
/// </summary>
public sealed record AutoscalerSettings
{
    /// <summary>The algorithm.</summary>
    public ScalingStrategy Strategy { get; init; } = ScalingStrategy.Kpa;

    /// <summary>The fewest replicas; 0 only takes effect with <see cref="ScaleToZero"/>.</summary>
    public int MinReplicas { get; init; } = AutoscalerDefaults.MinReplicas;

    /// <summary>The most replicas.</summary>
    public int MaxReplicas { get; init; } = 1;

    /// <summary>The metrics; the highest recommendation among them wins.</summary>
    public IReadOnlyList<MetricTarget> Metrics { get; init; } = [];

    /// <summary>KPA's stable window; also how long a metric stays fresh without a new sample.</summary>
    public TimeSpan StableWindow { get; init; } = AutoscalerDefaults.StableWindow;

    /// <summary>KPA's panic window.</summary>
    public TimeSpan PanicWindow { get; init; } = AutoscalerDefaults.PanicWindow;

    /// <summary>The window APA averages over.</summary>
    public TimeSpan ApaWindow { get; init; } = AutoscalerDefaults.ApaWindow;

    /// <summary>Width of a time bucket; samples in one bucket are averaged together.</summary>
    public TimeSpan Granularity { get; init; } = AutoscalerDefaults.Granularity;

    /// <summary>
    /// Growth limit per decision as a multiple of the ready pods. Null: 2 for KPA and APA, Kubernetes' default
    /// policies for HPA (a value given for HPA becomes a percent policy, as AIBrix maps it).
    /// </summary>
    public double? MaxScaleUpRate { get; init; }

    /// <summary>Shrink limit per decision: at least ready pods ÷ this. Null: 2 for KPA and APA, Kubernetes' for HPA.</summary>
    public double? MaxScaleDownRate { get; init; }

    /// <summary>APA/HPA dead band above the target.</summary>
    public double ScaleUpTolerance { get; init; } = AutoscalerDefaults.ScaleUpTolerance;

    /// <summary>APA/HPA dead band below the target.</summary>
    public double ScaleDownTolerance { get; init; } = AutoscalerDefaults.ScaleDownTolerance;

    /// <summary>KPA panic threshold, in multiples of the ready pods.</summary>
    public double PanicThreshold { get; init; } = AutoscalerDefaults.PanicThreshold;

    /// <summary>Scale-up stabilisation window.</summary>
    public TimeSpan ScaleUpCooldown { get; init; } = AutoscalerDefaults.ScaleUpCooldown;

    /// <summary>Scale-down stabilisation window.</summary>
    public TimeSpan ScaleDownCooldown { get; init; } = AutoscalerDefaults.ScaleDownCooldown;

    /// <summary>
    /// KPA/APA: scale up for the load the metric's trend reaches this far ahead (the least-squares line through the
    /// panic window for KPA, the APA window for APA); never scales down on it. Zero: off. Set it to the pods' start-up time.
    /// </summary>
    public TimeSpan ScaleUpLookahead { get; init; } = AutoscalerDefaults.ScaleUpLookahead;

    /// <summary>
    /// KPA/APA with an arrival-rate metric: the scale-down cooldown used instead of <see cref="ScaleDownCooldown"/>
    /// (when shorter) while the demand estimate says demand clearly fell. Without an arrival-rate metric: unused.
    /// </summary>
    public TimeSpan DemandScaleDownCooldown { get; init; } = AutoscalerDefaults.DemandScaleDownCooldown;

    /// <summary>
    /// KPA/APA: a scale-down goes no lower than this fraction of the highest count asked for over the last
    /// <see cref="PeakFloorWindow"/>, so a fleet that saw a peak keeps enough ready pods to absorb the first start-up
    /// time of the next one. Zero: off.
    /// </summary>
    public double PeakFloor { get; init; } = AutoscalerDefaults.PeakFloor;

    /// <summary>KPA/APA: how long a peak holds the <see cref="PeakFloor"/>.</summary>
    public TimeSpan PeakFloorWindow { get; init; } = AutoscalerDefaults.PeakFloorWindow;

    /// <summary>Allow 0 replicas, once the stable window has seen no load for its whole length (needs min 0).</summary>
    public bool ScaleToZero { get; init; }

    /// <summary>KPA: a non-zero recommendation is at least this.</summary>
    public int ActivationScale { get; init; } = AutoscalerDefaults.ActivationScale;

    /// <summary>Time-of-day overrides of the bounds.</summary>
    public IReadOnlyList<ReplicaSchedule> Schedules { get; init; } = [];

    /// <summary>The error <see cref="Validate"/> gives for an empty <see cref="Metrics"/>.</summary>
    internal const string NoMetricError = "metricsSources: at least one metric is required";

    /// <summary>The longest window the metric buckets must cover.</summary>
    internal TimeSpan LongestWindow => Max(StableWindow, Max(PanicWindow, ApaWindow));

    /// <summary>Every problem with these settings; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MinReplicas < 0)
        {
            errors.Add($"minReplicas {MinReplicas} is negative");
        }

        if (MaxReplicas < 1)
        {
            errors.Add($"maxReplicas {MaxReplicas} is below 1");
        }
        else if (MinReplicas > MaxReplicas)
        {
            errors.Add($"minReplicas {MinReplicas} is above maxReplicas {MaxReplicas}");
        }

        ValidateMetrics(errors);
        SettingsChecks.Window("granularity", Granularity, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1), errors);
        SettingsChecks.Window("stable window", StableWindow, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), errors);
        SettingsChecks.Window("panic window", PanicWindow, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), errors);
        SettingsChecks.Window("APA window", ApaWindow, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), errors);
        if (PanicWindow > StableWindow)
        {
            errors.Add($"panic window {PanicWindow.TotalSeconds}s is longer than the stable window {StableWindow.TotalSeconds}s");
        }

        SettingsChecks.Rate("max-scale-up-rate", MaxScaleUpRate, errors);
        SettingsChecks.Rate("max-scale-down-rate", MaxScaleDownRate, errors);
        SettingsChecks.Range("scale-up-tolerance", ScaleUpTolerance, 0, 10, errors);
        SettingsChecks.Range("scale-down-tolerance", ScaleDownTolerance, 0, 0.99, errors);
        SettingsChecks.Range("panic-threshold", PanicThreshold, 1, 10, errors);
        SettingsChecks.Window("scale-up-cooldown-window", ScaleUpCooldown, TimeSpan.Zero, TimeSpan.FromHours(1), errors);
        SettingsChecks.Window("scale-down-cooldown-window", ScaleDownCooldown, TimeSpan.Zero, TimeSpan.FromHours(1), errors);
        SettingsChecks.Window("scale-up-lookahead", ScaleUpLookahead, TimeSpan.Zero, TimeSpan.FromHours(1), errors);
        SettingsChecks.Window("demand-scale-down-cooldown-window", DemandScaleDownCooldown, TimeSpan.Zero, TimeSpan.FromHours(1), errors);
        SettingsChecks.Range("peak-floor", PeakFloor, 0, 1, errors);
        SettingsChecks.Window("peak-floor-window", PeakFloorWindow, TimeSpan.Zero, TimeSpan.FromHours(24), errors);
        if (ActivationScale < 1)
        {
            errors.Add($"activation-scale {ActivationScale} is below 1");
        }

        ValidateSchedules(errors);
        return errors;
    }

    private void ValidateMetrics(List<string> errors)
    {
        if (Metrics.Count == 0)
        {
            errors.Add(NoMetricError);
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var metric in Metrics)
        {
            if (string.IsNullOrWhiteSpace(metric.Name))
            {
                errors.Add("metricsSources: targetMetric is empty");
            }
            else if (!names.Add(metric.Name))
            {
                errors.Add($"metricsSources: '{metric.Name}' is listed twice");
            }

            if (!double.IsFinite(metric.TargetValue) || metric.TargetValue <= 0)
            {
                errors.Add($"metricsSources: '{metric.Name}': targetValue {metric.TargetValue} must be a number above 0");
            }
        }
    }

    private void ValidateSchedules(List<string> errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Schedules.Count; i++)
        {
            var s = Schedules[i];
            if (!names.Add(s.Name))
            {
                errors.Add($"schedules: '{s.Name}' is listed twice");
            }

            if (s.End <= s.Start)
            {
                errors.Add($"schedules: '{s.Name}': endTime {s.End:HH\\:mm} is not after startTime {s.Start:HH\\:mm} (windows cannot cross midnight)");
            }

            if (s.MinReplicas is null && s.MaxReplicas is null)
            {
                errors.Add($"schedules: '{s.Name}': set minReplicas, maxReplicas or both");
            }

            if (s.MinReplicas < 0 || s.MaxReplicas < 0)
            {
                errors.Add($"schedules: '{s.Name}': replica bounds cannot be negative");
            }

            int min = s.MinReplicas ?? MinReplicas, max = s.MaxReplicas ?? MaxReplicas;
            if (min > max)
            {
                errors.Add($"schedules: '{s.Name}': effective minReplicas {min} is above effective maxReplicas {max}");
            }

            for (int j = 0; j < i; j++)
            {
                if (s.Overlaps(Schedules[j]))
                {
                    errors.Add($"schedules: '{s.Name}' overlaps '{Schedules[j].Name}'");
                }
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
