namespace AIBrix.Autoscaling;

/// <summary>Every default of the autoscaler in one place (AIBrix's values unless said otherwise).</summary>
public static class AutoscalerDefaults
{
    /// <summary>The long window KPA scales on and APA/HPA read freshness from (<c>observeWindowSeconds</c>).</summary>
    public static readonly TimeSpan StableWindow = TimeSpan.FromSeconds(180);

    /// <summary>The short window KPA's panic mode reads (<c>panicWindowSeconds</c>).</summary>
    public static readonly TimeSpan PanicWindow = TimeSpan.FromSeconds(60);

    /// <summary>The window APA averages the per-pod value over (annotation <c>window</c>).</summary>
    public static readonly TimeSpan ApaWindow = TimeSpan.FromSeconds(60);

    /// <summary>The width of one time bucket of the metric windows.</summary>
    public static readonly TimeSpan Granularity = TimeSpan.FromSeconds(1);

    /// <summary>KPA/APA: at most this many times the ready pods in one decision.</summary>
    public const double MaxScaleUpRate = 2.0;

    /// <summary>KPA/APA: at least the ready pods divided by this in one decision.</summary>
    public const double MaxScaleDownRate = 2.0;

    /// <summary>APA/HPA: scale up only when the per-pod value exceeds target × (1 + this).</summary>
    public const double ScaleUpTolerance = 0.1;

    /// <summary>APA/HPA: scale down only when the per-pod value is below target × (1 − this).</summary>
    public const double ScaleDownTolerance = 0.1;

    /// <summary>KPA: panic when the panic-window desired count reaches this many times the ready pods.</summary>
    public const double PanicThreshold = 2.0;

    /// <summary>A scale-up takes the lowest recommendation of this window (0: at once).</summary>
    public static readonly TimeSpan ScaleUpCooldown = TimeSpan.Zero;

    /// <summary>A scale-down takes the highest recommendation of this window.</summary>
    public static readonly TimeSpan ScaleDownCooldown = TimeSpan.FromSeconds(300);

    /// <summary>
    /// KPA/APA: how far ahead the scale-up projects the metric's trend (0: off, the count follows the load as it is):
    /// the pods' start-up time, so a pod asked for now is ready when the projected load arrives. Not AIBrix's (it has
    /// no lookahead): 120 s, the paper's 2-3 minutes for a large image, lowered p99 TTFT against HPA on all four
    /// workloads of docs/benchmarks.md within HPA's pod time (docs/autoscaling.md).
    /// </summary>
    public static readonly TimeSpan ScaleUpLookahead = TimeSpan.FromSeconds(120);

    /// <summary>
    /// KPA/APA with an arrival-rate metric: the scale-down cooldown while demand has clearly fallen (the demand estimate,
    /// on the arrivals now and where their trend reaches scale-up-lookahead ahead, is below the current count).
    /// Not AIBrix's (it reads no arrivals). Chosen by the sweep of docs/benchmarks.md ("Arrival-rate demand").
    /// </summary>
    public static readonly TimeSpan DemandScaleDownCooldown = TimeSpan.FromSeconds(120);

    /// <summary>
    /// KPA/APA: the fraction of the recent peak count a scale-down keeps (0: off). Not AIBrix's. Off by default: see
    /// docs/autoscaling.md ("Peak floor") for what it bought and cost in the closed loop.
    /// </summary>
    public const double PeakFloor = 0;

    /// <summary>KPA/APA: how long a peak holds the peak floor (one hour: a pattern's period, not a burst's length).</summary>
    public static readonly TimeSpan PeakFloorWindow = TimeSpan.FromHours(1);

    /// <summary>KPA: the least non-zero replica count (Knative's activation scale).</summary>
    public const int ActivationScale = 1;

    /// <summary><c>minReplicas</c> when the spec leaves it out.</summary>
    public const int MinReplicas = 1;

    /// <summary>Kubernetes' HPA scaling policies' period.</summary>
    public static readonly TimeSpan HpaPolicyPeriod = TimeSpan.FromSeconds(15);
}
