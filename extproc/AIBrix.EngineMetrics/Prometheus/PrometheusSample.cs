namespace AIBrix.EngineMetrics;

/// <summary>
/// One sample line. <see cref="Name"/> is the full sample name (for example <c>x_bucket</c> of family <c>x</c>);
/// the labels live in the owning <see cref="MetricFamily"/> and are read with <see cref="MetricFamily.LabelsOf"/>,
/// so a sample is a small value with no per-sample label array.
/// </summary>
public readonly record struct PrometheusSample(string Name, double Value, long? TimestampMs, int LabelStart, int LabelCount);
