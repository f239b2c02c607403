namespace AIBrix.Autoscaling.Windows;

/// <summary>The mean of the samples recorded in one window.</summary>
/// <param name="Samples">How many samples fell in the window; 0 means no data.</param>
/// <param name="Total">Mean of the target totals.</param>
internal readonly record struct WindowAverage(int Samples, double Total)
{
    /// <summary>Whether any sample fell in the window.</summary>
    public bool HasData => Samples > 0;
}

/// <summary>The three windows of one metric at one moment.</summary>
/// <param name="Stable">The stable window.</param>
/// <param name="Panic">The panic window.</param>
/// <param name="Apa">APA's window.</param>
/// <param name="Coverage">How long the window has held samples without a gap emptying it.</param>
internal readonly record struct WindowReading(WindowAverage Stable, WindowAverage Panic, WindowAverage Apa, TimeSpan Coverage);
