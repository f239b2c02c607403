namespace AIBrix.Autoscaling.Windows;

/// <summary>The mean of the samples recorded in one window, and the trend of its buckets.</summary>
/// <param name="Samples">How many samples fell in the window; 0 means no data.</param>
/// <param name="Total">Mean of the target totals.</param>
/// <param name="Slope">The least-squares slope of the buckets' means, per bucket (0 with fewer than two buckets).</param>
/// <param name="Fitted">The least-squares line's value at the window's end (now); the mean with fewer than two buckets.</param>
internal readonly record struct WindowAverage(int Samples, double Total, double Slope = 0, double Fitted = 0)
{
    /// <summary>Whether any sample fell in the window.</summary>
    public bool HasData => Samples > 0;

    /// <summary>The line's value <paramref name="buckets"/> buckets after now.</summary>
    public double Projected(double buckets) => Fitted + (Slope * buckets);
}

/// <summary>The three windows of one metric at one moment.</summary>
/// <param name="Stable">The stable window.</param>
/// <param name="Panic">The panic window.</param>
/// <param name="Apa">APA's window.</param>
/// <param name="Coverage">How long the window has held samples without a gap emptying it.</param>
internal readonly record struct WindowReading(WindowAverage Stable, WindowAverage Panic, WindowAverage Apa, TimeSpan Coverage);
