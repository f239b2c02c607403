namespace AIBrix.EngineMetrics;

/// <summary>One cumulative bucket of a Prometheus histogram: observations at or below <see cref="UpperBound"/>.</summary>
public readonly record struct HistogramBucket(double UpperBound, double CumulativeCount);

/// <summary>A Prometheus histogram at one scrape: cumulative buckets (ascending, ending at +Inf), sum and count.</summary>
public sealed class HistogramSnapshot
{
    /// <summary>Creates a snapshot; <paramref name="buckets"/> must be ascending by upper bound.</summary>
    public HistogramSnapshot(IReadOnlyList<HistogramBucket> buckets, double sum, double count)
    {
        Buckets = buckets;
        Sum = sum;
        Count = count;
    }

    /// <summary>Cumulative buckets, ascending.</summary>
    public IReadOnlyList<HistogramBucket> Buckets { get; }

    /// <summary>Sum of all observations.</summary>
    public double Sum { get; }

    /// <summary>Number of observations.</summary>
    public double Count { get; }

    /// <summary>Mean observation, or null when there are none.</summary>
    public double? Mean => Count > 0 ? Sum / Count : null;

    /// <summary>
    /// Estimated quantile by linear interpolation inside the bucket that holds it, as Prometheus'
    /// <c>histogram_quantile</c> does; null when there are no observations.
    /// </summary>
    public double? Quantile(double q)
    {
        if (Count <= 0 || Buckets.Count == 0 || double.IsNaN(q))
        {
            return null;
        }

        q = Math.Clamp(q, 0, 1);
        double rank = q * Buckets[^1].CumulativeCount;
        double lowerBound = 0, lowerCount = 0;
        foreach (var bucket in Buckets)
        {
            if (bucket.CumulativeCount >= rank)
            {
                if (double.IsPositiveInfinity(bucket.UpperBound))
                {
                    return lowerBound; // the highest finite bound is the best estimate Prometheus gives too
                }

                double inBucket = bucket.CumulativeCount - lowerCount;
                return inBucket <= 0
                    ? bucket.UpperBound
                    : lowerBound + ((bucket.UpperBound - lowerBound) * (rank - lowerCount) / inBucket);
            }

            lowerBound = bucket.UpperBound;
            lowerCount = bucket.CumulativeCount;
        }

        return lowerBound;
    }
}
