namespace AIBrix.Autoscaling.Windows;

/// <summary>Sums the buckets of the three windows, newest first, until the oldest is older than every window.</summary>
internal struct WindowScan(long current, long stableBuckets, long panicBuckets, long apaBuckets)
{
    private Accumulator _stable;
    private Accumulator _panic;
    private Accumulator _apa;

    /// <summary>Adds the buckets of <paramref name="piece"/> from its end; false once older buckets cannot count.</summary>
    public bool Add(ReadOnlySpan<WindowBucket> piece)
    {
        for (int i = piece.Length - 1; i >= 0; i--)
        {
            ref readonly var b = ref piece[i];
            long age = current - b.Index;
            if (age < 0)
            {
                continue; // recorded "after" now: a clock that stepped back; not part of any window ending now
            }

            if (age >= stableBuckets && age >= apaBuckets)
            {
                return false; // the panic window is never longer than the stable one
            }

            if (age < stableBuckets)
            {
                _stable.Add(in b);
            }

            if (age < panicBuckets)
            {
                _panic.Add(in b);
            }

            if (age < apaBuckets)
            {
                _apa.Add(in b);
            }
        }

        return true;
    }

    public readonly WindowReading Reading(TimeSpan coverage) =>
        new(_stable.Average(), _panic.Average(), _apa.Average(), coverage);
}

/// <summary>The sum and count of one window's samples.</summary>
internal struct Accumulator
{
    private double _total;
    private int _samples;

    public void Add(in WindowBucket b)
    {
        _total += b.Total;
        _samples += b.Samples;
    }

    public readonly WindowAverage Average() => _samples == 0 ? default : new WindowAverage(_samples, _total / _samples);
}
