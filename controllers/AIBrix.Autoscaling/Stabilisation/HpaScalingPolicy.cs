namespace AIBrix.Autoscaling.Stabilisation;

/// <summary>One of Kubernetes' HPA scaling policies: change by <paramref name="Value"/> pods or percent per <paramref name="Period"/>.</summary>
/// <param name="Percent">True: <paramref name="Value"/> is a percentage of the count at the period's start; false: a pod count.</param>
/// <param name="Value">The allowed change.</param>
/// <param name="Period">The sliding period the changes are summed over.</param>
internal readonly record struct HpaScalingPolicy(bool Percent, double Value, TimeSpan Period)
{
    /// <summary>
    /// Kubernetes' defaults (selectPolicy Max): up by max(100 %, 4 pods) per 15 s. An explicit max-scale-up-rate r
    /// becomes one (r − 1) × 100 % policy, as AIBrix maps it onto the HPA object.
    /// </summary>
    public static HpaScalingPolicy[] ScaleUp(double? rate) => rate is { } r
        ? [new(true, (r - 1) * 100, AutoscalerDefaults.HpaPolicyPeriod)]
        : [new(false, 4, AutoscalerDefaults.HpaPolicyPeriod), new(true, 100, AutoscalerDefaults.HpaPolicyPeriod)];

    /// <summary>Kubernetes' default: down by 100 % per 15 s; an explicit max-scale-down-rate r becomes (1 − 1/r) × 100 %.</summary>
    public static HpaScalingPolicy[] ScaleDown(double? rate) => rate is { } r
        ? [new(true, (1 - (1 / r)) * 100, AutoscalerDefaults.HpaPolicyPeriod)]
        : [new(true, 100, AutoscalerDefaults.HpaPolicyPeriod)];
}
