namespace AIBrix.Autoscaling.Annotations;

/// <summary>The <c>autoscaling.aibrix.ai/*</c> annotation keys a PodAutoscaler may carry (AIBrix's names).</summary>
public static class AutoscalingAnnotations
{
    /// <summary>The prefix of every key.</summary>
    public const string Prefix = "autoscaling.aibrix.ai/";

    /// <summary>Float above 1: growth per decision as a multiple of the ready pods (default 2).</summary>
    public const string MaxScaleUpRate = Prefix + "max-scale-up-rate";

    /// <summary>Float above 1: shrink per decision as a divisor of the ready pods (default 2).</summary>
    public const string MaxScaleDownRate = Prefix + "max-scale-down-rate";

    /// <summary>Float ≥ 0: APA/HPA dead band above the target (default 0.1).</summary>
    public const string ScaleUpTolerance = Prefix + "scale-up-tolerance";

    /// <summary>Float in [0, 1): APA/HPA dead band below the target (default 0.1).</summary>
    public const string ScaleDownTolerance = Prefix + "scale-down-tolerance";

    /// <summary>Float in [1, 10]: KPA panic threshold (default 2).</summary>
    public const string PanicThreshold = Prefix + "panic-threshold";

    /// <summary>Go duration: scale-up stabilisation window (default 0s).</summary>
    public const string ScaleUpCooldownWindow = Prefix + "scale-up-cooldown-window";

    /// <summary>Go duration: scale-down stabilisation window (default 300s).</summary>
    public const string ScaleDownCooldownWindow = Prefix + "scale-down-cooldown-window";

    /// <summary>Go duration: KPA/APA scale up for the load the metric's trend reaches this far ahead (default 120s, 0s turns it off; an extension of AIBrix's set).</summary>
    public const string ScaleUpLookahead = Prefix + "scale-up-lookahead";

    /// <summary>Go duration: KPA/APA with an arrival-rate metric, the scale-down cooldown while demand clearly fell (default 120s; an extension of AIBrix's set).</summary>
    public const string DemandScaleDownCooldownWindow = Prefix + "demand-scale-down-cooldown-window";

    /// <summary>Number in [0, 1]: KPA/APA keep at least this fraction of the highest count of the peak-floor-window (default 0: off; an extension of AIBrix's set).</summary>
    public const string PeakFloor = Prefix + "peak-floor";

    /// <summary>Go duration: how long a peak holds the peak floor (default 1h; an extension of AIBrix's set).</summary>
    public const string PeakFloorWindow = Prefix + "peak-floor-window";

    /// <summary>Bool: allow zero replicas (default false; needs minReplicas 0).</summary>
    public const string ScaleToZero = Prefix + "scale-to-zero";

    /// <summary>Go duration: the stable window (default 180s); the same as <c>spec.observeWindowSeconds</c>.</summary>
    public const string StableWindow = Prefix + "stable-window";

    /// <summary>Go duration: the panic window (default 60s); the same as <c>spec.panicWindowSeconds</c>.</summary>
    public const string PanicWindow = Prefix + "panic-window";

    /// <summary>Go duration: APA's averaging window (default 60s).</summary>
    public const string Window = Prefix + "window";

    /// <summary>Go duration: width of a metric time bucket (default 1s).</summary>
    public const string Granularity = Prefix + "granularity";

    /// <summary>Integer ≥ 1: KPA's least non-zero count (Knative's activation scale; an extension of AIBrix's set).</summary>
    public const string ActivationScale = Prefix + "activation-scale";

    /// <summary>AIBrix's deprecated StormService mode hint; StormService targets are not scaled here.</summary>
    public const string StormServiceMode = Prefix + "storm-service-mode";

    /// <summary>Every key this autoscaler reads.</summary>
    public static readonly IReadOnlyList<string> Known =
    [
        MaxScaleUpRate, MaxScaleDownRate, ScaleUpTolerance, ScaleDownTolerance, PanicThreshold, ScaleUpCooldownWindow,
        ScaleDownCooldownWindow, ScaleToZero, StableWindow, PanicWindow, Window, Granularity, ActivationScale,
        ScaleUpLookahead, DemandScaleDownCooldownWindow, PeakFloor, PeakFloorWindow,
    ];

    /// <summary>Older AIBrix keys, no longer read, and the key that replaced each (null: no replacement).</summary>
    internal static readonly IReadOnlyDictionary<string, string?> Replaced = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["kpa.autoscaling.aibrix.ai/scale-down-delay"] = ScaleDownCooldownWindow,
        ["kpa.autoscaling.aibrix.ai/scale-up-cooldown"] = ScaleUpCooldownWindow,
        ["kpa.autoscaling.aibrix.ai/scale-down-cooldown"] = ScaleDownCooldownWindow,
        ["kpa.autoscaling.aibrix.ai/panic-threshold"] = PanicThreshold,
        ["kpa.autoscaling.aibrix.ai/stable-window"] = StableWindow,
        ["kpa.autoscaling.aibrix.ai/panic-window"] = PanicWindow,
        ["kpa.autoscaling.aibrix.ai/activation-scale"] = ActivationScale,
        ["kpa.autoscaling.aibrix.ai/target-burst-capacity"] = null,
        ["apa.autoscaling.aibrix.ai/up-fluctuation-tolerance"] = ScaleUpTolerance,
        ["apa.autoscaling.aibrix.ai/down-fluctuation-tolerance"] = ScaleDownTolerance,
        ["apa.autoscaling.aibrix.ai/window"] = Window,
        [Prefix + "up-fluctuation-tolerance"] = ScaleUpTolerance,
        [Prefix + "down-fluctuation-tolerance"] = ScaleDownTolerance,
    };

    /// <summary>Prefixes whose keys are autoscaler settings (the current one and AIBrix's older per-strategy ones).</summary>
    internal static readonly IReadOnlyList<string> Prefixes = [Prefix, "kpa." + Prefix, "apa." + Prefix];
}
