namespace AIBrix.Gateway.Observability;

/// <summary>
/// Requests arriving for one model, in one-second buckets over the last <see cref="WindowSeconds"/> seconds: the rate
/// a PodAutoscaler reads as demand (<c>aibrix_gateway_model_arrival_rate</c>, docs/autoscaling.md). Thread-safe; a
/// record is one short lock, as every request of a model passes through one meter.
/// </summary>
internal sealed class ArrivalMeter
{
    /// <summary>The window the rate is averaged over, seconds: the autoscaler's default reconcile interval.</summary>
    public const int WindowSeconds = 10;

    private readonly long[] _counts = new long[WindowSeconds];
    private readonly long[] _seconds = new long[WindowSeconds];
    private readonly Lock _lock = new();

    /// <summary>Counts one arrival at <paramref name="now"/>.</summary>
    public void Record(DateTimeOffset now)
    {
        long second = now.ToUnixTimeSeconds();
        int slot = (int)(second % WindowSeconds);
        lock (_lock)
        {
            if (_seconds[slot] != second)
            {
                _seconds[slot] = second;
                _counts[slot] = 0;
            }

            _counts[slot]++;
        }
    }

    /// <summary>Arrivals a second over the whole seconds of the window before <paramref name="now"/> (the current, partial second left out).</summary>
    public double Rate(DateTimeOffset now)
    {
        long current = now.ToUnixTimeSeconds();
        long sum = 0;
        lock (_lock)
        {
            for (int i = 0; i < WindowSeconds; i++)
            {
                long age = current - _seconds[i];
                if (age >= 1 && age <= WindowSeconds)
                {
                    sum += _counts[i];
                }
            }
        }

        return (double)sum / WindowSeconds;
    }
}
