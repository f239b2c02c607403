namespace AIBrix.EngineMetrics;

/// <summary>A line the parser skipped, with its 1-based number and why.</summary>
public readonly record struct ParseError(int LineNumber, string Reason);
