namespace AIBrix.Autoscaling.Decisions;

/// <summary>A limit that moved a replica count on its way from the metric to the decision.</summary>
public enum ScaleLimit
{
    /// <summary>Nothing limited it.</summary>
    None,

    /// <summary>KPA/APA: at most max-scale-up-rate × ready pods.</summary>
    ScaleUpRate,

    /// <summary>KPA/APA: at least ready pods ÷ max-scale-down-rate.</summary>
    ScaleDownRate,

    /// <summary>KPA: a non-zero count is raised to the activation scale.</summary>
    ActivationScale,

    /// <summary>KPA: in panic mode the count never goes down.</summary>
    PanicNoScaleDown,

    /// <summary>APA: pods still starting would have turned a scale-up signal into a scale-down (or back); held.</summary>
    PodsStarting,

    /// <summary>Zero waits until the stable window has seen no load for its whole length.</summary>
    ScaleToZeroWait,

    /// <summary>The scale-up cooldown window holds a lower recommendation.</summary>
    ScaleUpCooldown,

    /// <summary>The scale-down cooldown window holds a higher recommendation.</summary>
    ScaleDownCooldown,

    /// <summary>HPA: Kubernetes' scale-up policies (max of 100 % and 4 pods per 15 s by default).</summary>
    ScaleUpPolicy,

    /// <summary>HPA: Kubernetes' scale-down policies (100 % per 15 s by default).</summary>
    ScaleDownPolicy,

    /// <summary>The minimum replicas (or a schedule's).</summary>
    MinReplicas,

    /// <summary>The maximum replicas (or a schedule's).</summary>
    MaxReplicas,

    /// <summary>KPA/APA: the metric's trend, projected scale-up-lookahead ahead, asked for more.</summary>
    Lookahead,

    /// <summary>KPA/APA: the demand estimate from the arrival rate moved the count (up before the engine metric rises, down when demand fell and the engine metric agrees).</summary>
    Demand,

    /// <summary>KPA/APA: demand clearly fell, so the scale-down cooldown was the shorter demand-scale-down-cooldown-window.</summary>
    DemandScaleDownCooldown,

    /// <summary>KPA/APA: the scale-down kept peak-floor × the highest count of the peak-floor-window.</summary>
    PeakFloor,
}

/// <summary>The wire names of <see cref="ScaleLimit"/> (annotation-style, for reasons and logs).</summary>
public static class ScaleLimits
{
    /// <summary>The name used in reasons.</summary>
    public static string Name(ScaleLimit limit) => limit switch
    {
        ScaleLimit.ScaleUpRate => "max-scale-up-rate",
        ScaleLimit.ScaleDownRate => "max-scale-down-rate",
        ScaleLimit.ActivationScale => "activation-scale",
        ScaleLimit.PanicNoScaleDown => "panic (no scale-down)",
        ScaleLimit.PodsStarting => "pods starting",
        ScaleLimit.ScaleToZeroWait => "scale-to-zero wait",
        ScaleLimit.ScaleUpCooldown => "scale-up-cooldown-window",
        ScaleLimit.ScaleDownCooldown => "scale-down-cooldown-window",
        ScaleLimit.ScaleUpPolicy => "HPA scale-up policy",
        ScaleLimit.ScaleDownPolicy => "HPA scale-down policy",
        ScaleLimit.MinReplicas => "minReplicas",
        ScaleLimit.MaxReplicas => "maxReplicas",
        ScaleLimit.Lookahead => "scale-up-lookahead",
        ScaleLimit.Demand => "arrival demand",
        ScaleLimit.DemandScaleDownCooldown => "demand-scale-down-cooldown-window",
        ScaleLimit.PeakFloor => "peak-floor",
        _ => "none",
    };
}
