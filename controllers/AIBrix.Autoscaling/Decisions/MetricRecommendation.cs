namespace AIBrix.Autoscaling.Decisions;

/// <summary>What one metric asked for, and from which values.</summary>
/// <param name="Metric">The metric's name.</param>
/// <param name="Mode">How the count was reached.</param>
/// <param name="TargetValue">The target it was held against.</param>
/// <param name="Value">The value the count came from: KPA's stable total, APA's windowed per-pod mean, HPA's latest per-pod mean, or the replica count.</param>
/// <param name="PanicValue">KPA: the panic window's total; otherwise equal to <paramref name="Value"/>.</param>
/// <param name="RawReplicas">The count before any limit.</param>
/// <param name="Replicas">The count after the strategy's own limits.</param>
public readonly record struct MetricRecommendation(
    string Metric,
    RecommendationMode Mode,
    double TargetValue,
    double Value,
    double PanicValue,
    int RawReplicas,
    int Replicas)
{
    /// <summary>Whether the metric had fresh data.</summary>
    public bool HasData => Mode != RecommendationMode.NoData;

    /// <summary>The metric had no fresh sample.</summary>
    public static MetricRecommendation NoData(MetricTarget target) =>
        new(target.Name, RecommendationMode.NoData, target.TargetValue, double.NaN, double.NaN, 0, 0);
}
