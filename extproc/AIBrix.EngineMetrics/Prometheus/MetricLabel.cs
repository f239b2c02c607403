namespace AIBrix.EngineMetrics;

/// <summary>One label pair of a sample, with escapes already resolved in <see cref="Value"/>.</summary>
public readonly record struct MetricLabel(string Name, string Value);
