namespace AIBrix.Bench;

/// <summary>Statistics every benchmark command reports the same way.</summary>
internal static class Stats
{
    /// <summary>Nearest-rank percentile of ascending values; NaN when there are none.</summary>
    public static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
