namespace AIBrix.Autoscaling.Decisions;

/// <summary>How a metric's recommendation was reached.</summary>
public enum RecommendationMode
{
    /// <summary>No fresh sample: the metric recommends nothing.</summary>
    NoData,

    /// <summary>KPA on its stable window.</summary>
    Stable,

    /// <summary>KPA in panic mode: the larger of the stable and panic counts, never lower than before.</summary>
    Panic,

    /// <summary>APA/HPA: the value is above the target beyond the tolerance.</summary>
    ScaleUp,

    /// <summary>APA/HPA: the value is below the target beyond the tolerance.</summary>
    ScaleDown,

    /// <summary>APA/HPA: within the tolerance band, the current count stands.</summary>
    WithinTolerance,

    /// <summary>An external replica count, taken as it is.</summary>
    ReplicaCount,

    /// <summary>
    /// An arrival-rate metric (<see cref="MetricTarget.IsArrivalRate"/>): the demand estimate, arrivals × the time a
    /// request stays counted in the engine metric ÷ the engine target (Little's law), not a load of its own.
    /// </summary>
    Demand,
}
