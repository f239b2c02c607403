namespace AIBrix.Autoscaling.Observations;

/// <summary>What became of an observation handed to <see cref="Autoscaler.Observe(int, MetricObservation)"/>.</summary>
public enum ObservationStatus
{
    /// <summary>Added to the metric's windows.</summary>
    Recorded,

    /// <summary>A per-pod metric with no pod sampled: nothing to record (the windows keep what they had).</summary>
    NoSample,

    /// <summary>NaN, infinite or negative: dropped, never read as a load.</summary>
    InvalidValue,

    /// <summary>Older than the newest observation of the metric: dropped.</summary>
    OutOfOrder,

    /// <summary>No such metric in the settings.</summary>
    UnknownMetric,
}
