using AIBrix.Autoscaling.Decisions;

namespace AIBrix.Autoscaling.Recommenders;

/// <summary>What every recommender reads for one decision, and where it writes the limits it applied.</summary>
internal readonly struct RecommendContext(AutoscalerSettings settings, DateTimeOffset now, ScaleState state, List<LimitStep> limits)
{
    /// <summary>The settings.</summary>
    public AutoscalerSettings Settings { get; } = settings;

    /// <summary>The decision's time.</summary>
    public DateTimeOffset Now { get; } = now;

    /// <summary>The target's replica count (starting pods included).</summary>
    public int Current { get; } = Math.Max(0, state.CurrentReplicas);

    /// <summary>The target's ready pods.</summary>
    public int Ready { get; } = Math.Max(0, state.ReadyPods);

    /// <summary>Ready pods, at least 1: the base of rates and ratios (Knative's rule, so a target at zero can start).</summary>
    public int Base => Math.Max(1, Ready);

    /// <summary>
    /// KPA/APA: the most replicas one decision may ask for, ceil(up-rate × <see cref="Base"/>), but never below the
    /// current count (Knative bases the limit on ready pods, which with AIBrix's rate of 2 would cancel pods that
    /// were asked for a moment ago and are still starting) nor, for KPA, below the activation scale.
    /// </summary>
    public int MaxUp => Math.Max(
        ReplicaMath.Ceil((Settings.MaxScaleUpRate ?? AutoscalerDefaults.MaxScaleUpRate) * Base),
        Math.Max(Current, Settings.Strategy == ScalingStrategy.Kpa ? Settings.ActivationScale : 0));

    /// <summary>KPA/APA: the fewest replicas one decision may ask for, floor(<see cref="Base"/> ÷ down-rate), never above the current count.</summary>
    public int MinDown => Math.Min(ReplicaMath.Floor(Base / (Settings.MaxScaleDownRate ?? AutoscalerDefaults.MaxScaleDownRate)), Current);

    /// <summary>Moves <paramref name="value"/> to <paramref name="to"/>, noting the limit when that changes it.</summary>
    public int Apply(ScaleLimit limit, int value, int to, string? metric)
    {
        if (to != value)
        {
            limits.Add(new LimitStep(limit, value, to, metric));
        }

        return to;
    }
}
