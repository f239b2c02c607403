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

    /// <summary>KPA/APA growth limit per decision, as a multiple of <see cref="Base"/>.</summary>
    public double UpRate => Settings.MaxScaleUpRate ?? AutoscalerDefaults.MaxScaleUpRate;

    /// <summary>KPA/APA shrink limit per decision, as a divisor of <see cref="Base"/>.</summary>
    public double DownRate => Settings.MaxScaleDownRate ?? AutoscalerDefaults.MaxScaleDownRate;

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
