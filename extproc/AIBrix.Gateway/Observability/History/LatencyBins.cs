namespace AIBrix.Gateway.Observability.History;

/// <summary>
/// A fixed log-scale histogram of latencies: <see cref="Count"/> bins growing by 25% from 1 ms (the last
/// reaching about 36 s, and holding anything longer), so a quantile is within one bin (±12%) with no samples kept.
/// </summary>
internal sealed class LatencyBins
{
    public const int Count = 48;
    private const double FirstMs = 1;
    private const double Growth = 1.25;
    private static readonly double LogGrowth = Math.Log(Growth);
    private readonly long[] _bins = new long[Count];

    public long Total { get; private set; }

    public void Add(double seconds)
    {
        double ms = seconds * 1000;
        int bin = ms <= FirstMs ? 0 : Math.Min(Count - 1, (int)Math.Ceiling(Math.Log(ms / FirstMs) / LogGrowth));
        _bins[bin]++;
        Total++;
    }

    public void Clear()
    {
        Array.Clear(_bins);
        Total = 0;
    }

    /// <summary>Adds <paramref name="other"/>'s counts to this one (to merge buckets).</summary>
    public void AddFrom(LatencyBins other)
    {
        for (int i = 0; i < Count; i++)
        {
            _bins[i] += other._bins[i];
        }

        Total += other.Total;
    }

    /// <summary>The <paramref name="q"/> quantile in seconds (the bin's upper bound), or null with no samples.</summary>
    public double? Quantile(double q)
    {
        if (Total == 0)
        {
            return null;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(q * Total));
        long seen = 0;
        for (int i = 0; i < Count; i++)
        {
            seen += _bins[i];
            if (seen >= rank)
            {
                return UpperMs(i) / 1000;
            }
        }

        return UpperMs(Count - 1) / 1000;
    }

    private static double UpperMs(int bin) => FirstMs * Math.Pow(Growth, bin);
}
