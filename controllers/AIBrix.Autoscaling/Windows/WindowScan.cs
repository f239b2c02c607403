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
                _stable.Add(in b, age);
            }

            if (age < panicBuckets)
            {
                _panic.Add(in b, age);
            }

            if (age < apaBuckets)
            {
                _apa.Add(in b, age);
            }
        }

        return true;
    }

    public readonly WindowReading Reading(TimeSpan coverage) =>
        new(_stable.Average(), _panic.Average(), _apa.Average(), coverage);
}

/// <summary>
/// The sum and count of one window's samples, and the least-squares line through its buckets' means against their
/// age (for the scale-up lookahead: where the metric is heading).
/// </summary>
internal struct Accumulator
{
    private double _total;
    private int _samples;
    private int _buckets;
    private double _sumX;
    private double _sumY;
    private double _sumXX;
    private double _sumXY;

    public void Add(in WindowBucket b, long age)
    {
        _total += b.Total;
        _samples += b.Samples;
        double x = -age, y = b.Total / b.Samples;
        _buckets++;
        _sumX += x;
        _sumY += y;
        _sumXX += x * x;
        _sumXY += x * y;
    }

    public readonly WindowAverage Average()
    {
        if (_samples == 0)
        {
            return default;
        }

        double mean = _total / _samples;
        if (_buckets < 2)
        {
            return new WindowAverage(_samples, mean, 0, mean);
        }

        double n = _buckets, variance = (n * _sumXX) - (_sumX * _sumX);
        double slope = variance > 0 ? ((n * _sumXY) - (_sumX * _sumY)) / variance : 0;
        double now = (_sumY / n) - (slope * (_sumX / n));
        return new WindowAverage(_samples, mean, slope, now);
    }
}
