using AIBrix.Autoscaling.Decisions;

namespace AIBrix.Autoscaling.Recommenders;

/// <summary>
/// What every recommender reads for one decision, and the limits applied so far (a list made only when a limit
/// moves a count: most decisions have none, and a thousand autoscalers decide every few seconds).
/// </summary>
internal struct RecommendContext(AutoscalerSettings settings, DateTimeOffset now, ScaleState state)
{
    private List<LimitStep>? _limits;

    /// <summary>The settings.</summary>
    public readonly AutoscalerSettings Settings { get; } = settings;

    /// <summary>The decision's time.</summary>
    public readonly DateTimeOffset Now { get; } = now;

    /// <summary>The target's replica count (starting pods included).</summary>
    public readonly int Current { get; } = Math.Max(0, state.CurrentReplicas);

    /// <summary>The target's ready pods.</summary>
    public readonly int Ready { get; } = Math.Max(0, state.ReadyPods);

    /// <summary>Ready pods, at least 1: the base of rates and ratios (Knative's rule, so a target at zero can start).</summary>
    public readonly int Base => Math.Max(1, Ready);

    /// <summary>
    /// KPA/APA: the most replicas one decision may ask for, ceil(up-rate × <see cref="Base"/>), but never below the
    /// current count (Knative bases the limit on ready pods, which with AIBrix's rate of 2 would cancel pods that
    /// were asked for a moment ago and are still starting) nor, for KPA, below the activation scale.
    /// </summary>
    public readonly int MaxUp => Math.Max(
        ReplicaMath.Ceil((Settings.MaxScaleUpRate ?? AutoscalerDefaults.MaxScaleUpRate) * Base),
        Math.Max(Current, Settings.Strategy == ScalingStrategy.Kpa ? Settings.ActivationScale : 0));

    /// <summary>KPA/APA: the fewest replicas one decision may ask for, floor(<see cref="Base"/> ÷ down-rate), never above the current count.</summary>
    public readonly int MinDown => Math.Min(ReplicaMath.Floor(Base / (Settings.MaxScaleDownRate ?? AutoscalerDefaults.MaxScaleDownRate)), Current);

    /// <summary>Whether the scale-up lookahead is on.</summary>
    public readonly bool LooksAhead => Settings.ScaleUpLookahead > TimeSpan.Zero;

    /// <summary>The scale-up lookahead in metric buckets (the unit of a window's slope).</summary>
    public readonly double LookaheadBuckets => (double)Settings.ScaleUpLookahead.Ticks / Settings.Granularity.Ticks;

    /// <summary>Every limit that moved a count, in order.</summary>
    public readonly IReadOnlyList<LimitStep> Limits => _limits is null ? [] : _limits;

    /// <summary>Moves <paramref name="value"/> to <paramref name="to"/>, noting the limit when that changes it.</summary>
    public int Apply(ScaleLimit limit, int value, int to, string? metric)
    {
        if (to != value)
        {
            (_limits ??= new List<LimitStep>(2)).Add(new LimitStep(limit, value, to, metric));
        }

        return to;
    }
}
