using System.Globalization;
using System.Text;
using AIBrix.Autoscaling.Schedules;

namespace AIBrix.Autoscaling.Decisions;

/// <summary>
/// One decision and everything that led to it: each metric's recommendation and values, the winning metric,
/// every limit that moved the count (before and after), and the bounds in force. <see cref="Reason"/> says it in
/// one line for status, events and logs.
/// </summary>
public sealed class ScaleDecision
{
    private string? _reason;

    internal ScaleDecision(
        DateTimeOffset at,
        ScalingStrategy strategy,
        ScaleState state,
        int desired,
        int deciding,
        MetricRecommendation[] metrics,
        IReadOnlyList<LimitStep> limits,
        ReplicaBounds bounds)
    {
        At = at;
        Strategy = strategy;
        CurrentReplicas = state.CurrentReplicas;
        ReadyPods = state.ReadyPods;
        DesiredReplicas = desired;
        Metrics = metrics;
        Limits = limits;
        Bounds = bounds;
        DecidingMetric = deciding >= 0 ? metrics[deciding].Metric : null;
        Mode = deciding >= 0 ? metrics[deciding].Mode : RecommendationMode.NoData;
        RecommendedReplicas = deciding >= 0 ? metrics[deciding].Replicas : state.CurrentReplicas;
    }

    /// <summary>When it was made (the autoscaler's clock).</summary>
    public DateTimeOffset At { get; }

    /// <summary>The strategy that made it.</summary>
    public ScalingStrategy Strategy { get; }

    /// <summary>The target's replica count when asked.</summary>
    public int CurrentReplicas { get; }

    /// <summary>The target's ready pods when asked.</summary>
    public int ReadyPods { get; }

    /// <summary>The replica count to set.</summary>
    public int DesiredReplicas { get; }

    /// <summary>Whether any metric had fresh data; when none did, the count only moves into the bounds.</summary>
    public bool HasRecommendation => DecidingMetric is not null;

    /// <summary>The highest metric recommendation, before cooldowns, policies and bounds.</summary>
    public int RecommendedReplicas { get; }

    /// <summary>The metric whose recommendation won; null when no metric had data.</summary>
    public string? DecidingMetric { get; }

    /// <summary>The winning metric's mode (KPA's stable or panic, APA/HPA's direction).</summary>
    public RecommendationMode Mode { get; }

    /// <summary>Every metric's recommendation, in the settings' order.</summary>
    public IReadOnlyList<MetricRecommendation> Metrics { get; }

    /// <summary>Every limit that changed a count, in the order applied.</summary>
    public IReadOnlyList<LimitStep> Limits { get; }

    /// <summary>The bounds in force (a schedule's, when one is active).</summary>
    public ReplicaBounds Bounds { get; }

    /// <summary>Whether the decision changes the replica count.</summary>
    public bool Changes => DesiredReplicas != CurrentReplicas;

    /// <summary>The last limit that moved the winning count (on the winning metric or the decision); None when none did.</summary>
    public ScaleLimit ClampedBy
    {
        get
        {
            for (int i = Limits.Count - 1; i >= 0; i--)
            {
                if (Limits[i].Metric is null || Limits[i].Metric == DecidingMetric)
                {
                    return Limits[i].Limit;
                }
            }

            return ScaleLimit.None;
        }
    }

    /// <summary>The decision in one line, e.g. <c>KPA panic on kv (stable 1.2, panic 3.4, target 0.5): 7; max-scale-up-rate 7→6; 3 → 6</c>.</summary>
    public string Reason => _reason ??= BuildReason();

    /// <inheritdoc/>
    public override string ToString() => Reason;

    private string BuildReason()
    {
        var text = new StringBuilder(ScalingStrategies.Name(Strategy));
        if (DecidingMetric is null)
        {
            text.Append(": no fresh metric sample; holding ").Append(CurrentReplicas);
        }
        else
        {
            var m = Metrics.First(r => r.Metric == DecidingMetric);
            text.Append(' ').Append(ModeName(m.Mode)).Append(" on ").Append(m.Metric).Append(" (");
            AppendValues(text, m);
            text.Append("): ").Append(m.RawReplicas);
        }

        foreach (var step in Limits)
        {
            if (step.Metric is null || step.Metric == DecidingMetric)
            {
                text.Append("; ").Append(step.ToString());
            }
        }

        text.Append("; ").Append(CurrentReplicas).Append(" → ").Append(DesiredReplicas);
        if (Bounds.Schedule is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" (schedule '{Bounds.Schedule}': min {Bounds.Min}, max {Bounds.Max}");
            text.Append(Bounds.Conflict is null ? ")" : $"; '{Bounds.Conflict}' also active, ignored)");
        }

        return text.ToString();
    }

    private static void AppendValues(StringBuilder text, MetricRecommendation m)
    {
        var inv = CultureInfo.InvariantCulture;
        switch (m.Mode)
        {
            case RecommendationMode.Stable or RecommendationMode.Panic:
                text.Append(inv, $"stable {m.Value:0.###}, panic {m.PanicValue:0.###}, target {m.TargetValue:0.###}");
                break;
            case RecommendationMode.Demand:
                text.Append(inv, $"arrivals {m.Value:0.###}/s, {m.TargetValue:0.###}/s a pod");
                break;
            case RecommendationMode.ReplicaCount:
                text.Append(inv, $"replica count {m.Value:0.###}");
                break;
            default:
                text.Append(inv, $"per pod {m.Value:0.###}, target {m.TargetValue:0.###}");
                break;
        }
    }

    private static string ModeName(RecommendationMode mode) => mode switch
    {
        RecommendationMode.Stable => "stable",
        RecommendationMode.Panic => "panic",
        RecommendationMode.ScaleUp => "scale-up",
        RecommendationMode.ScaleDown => "scale-down",
        RecommendationMode.WithinTolerance => "within tolerance",
        RecommendationMode.ReplicaCount => "replica count",
        RecommendationMode.Demand => "demand",
        _ => "no data",
    };
}
