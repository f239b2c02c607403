namespace AIBrix.EngineMetrics;

/// <summary>The type a <c># TYPE</c> line declares for a metric family (text exposition format 0.0.4).</summary>
public enum MetricType
{
    /// <summary>No <c># TYPE</c> line, or the line said <c>untyped</c>.</summary>
    Untyped,

    /// <summary>Monotonic counter; samples may carry a <c>_total</c> or <c>_created</c> suffix.</summary>
    Counter,

    /// <summary>Gauge.</summary>
    Gauge,

    /// <summary>Histogram: <c>_bucket</c> samples with <c>le</c>, plus <c>_sum</c> and <c>_count</c>.</summary>
    Histogram,

    /// <summary>Summary: samples with a <c>quantile</c> label, plus <c>_sum</c> and <c>_count</c>.</summary>
    Summary,
}
