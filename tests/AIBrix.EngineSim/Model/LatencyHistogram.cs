namespace AIBrix.EngineSim;

/// <summary>A cumulative histogram with fixed upper bounds, as Prometheus exposes it.</summary>
public sealed class LatencyHistogram
{
    private readonly double[] _bounds;
    private readonly long[] _counts;

    /// <summary>Creates a histogram with the given ascending upper bounds (+Inf is implicit).</summary>
    public LatencyHistogram(double[] bounds)
    {
        _bounds = bounds;
        _counts = new long[bounds.Length + 1];
    }

    /// <summary>Upper bounds, ascending, without +Inf.</summary>
    public IReadOnlyList<double> Bounds => _bounds;

    /// <summary>Sum of observations.</summary>
    public double Sum { get; private set; }

    /// <summary>Number of observations.</summary>
    public long Count { get; private set; }

    /// <summary>Records one value.</summary>
    public void Observe(double value)
    {
        int i = 0;
        while (i < _bounds.Length && value > _bounds[i])
        {
            i++;
        }

        _counts[i]++;
        Sum += value;
        Count++;
    }

    /// <summary>Cumulative count of observations ≤ bound <paramref name="index"/> (index == Bounds.Count is +Inf).</summary>
    public long CumulativeCount(int index)
    {
        long total = 0;
        for (int i = 0; i <= index; i++)
        {
            total += _counts[i];
        }

        return total;
    }

    /// <summary>vLLM v1's time-to-first-token buckets.</summary>
    public static double[] TimeToFirstTokenBuckets() =>
        [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0];

    /// <summary>vLLM v1's inter-token / time-per-output-token buckets.</summary>
    public static double[] InterTokenBuckets() =>
        [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0];

    /// <summary>vLLM v1's request-latency buckets (e2e, queue, inference, prefill, decode).</summary>
    public static double[] RequestLatencyBuckets() =>
        [0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0];
}
