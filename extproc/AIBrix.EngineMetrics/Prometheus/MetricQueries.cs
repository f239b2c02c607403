namespace AIBrix.EngineMetrics;

/// <summary>
/// Reads engine values out of a <see cref="MetricFamilySet"/>, aggregating over label sets (one per
/// <c>model_name</c>/<c>engine</c> rank). NaN samples are skipped; no matching sample gives null, never 0.
/// </summary>
public static class MetricQueries
{
    /// <summary>Sum of every sample named <paramref name="sampleName"/>: requests and counters add up over ranks.</summary>
    public static double? Sum(MetricFamilySet set, string sampleName)
    {
        if (!set.TryGetFamilyOfSample(sampleName, out var family))
        {
            return null;
        }

        double sum = 0;
        bool any = false;
        foreach (ref readonly var sample in family.Samples)
        {
            if (ReferenceEquals(sample.Name, sampleName) || string.Equals(sample.Name, sampleName, StringComparison.Ordinal))
            {
                if (!double.IsNaN(sample.Value))
                {
                    sum += sample.Value;
                    any = true;
                }
            }
        }

        return any ? sum : null;
    }

    /// <summary>Largest sample named <paramref name="sampleName"/>.</summary>
    public static double? Max(MetricFamilySet set, string sampleName)
    {
        if (!set.TryGetFamilyOfSample(sampleName, out var family))
        {
            return null;
        }

        double? max = null;
        foreach (ref readonly var sample in family.Samples)
        {
            if (string.Equals(sample.Name, sampleName, StringComparison.Ordinal) && !double.IsNaN(sample.Value))
            {
                max = max is { } m ? Math.Max(m, sample.Value) : sample.Value;
            }
        }

        return max;
    }

    /// <summary>The first name in <paramref name="sampleNames"/> that is present, summed.</summary>
    public static double? FirstSum(MetricFamilySet set, params ReadOnlySpan<string> sampleNames)
    {
        foreach (var name in sampleNames)
        {
            if (Sum(set, name) is { } value)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>The first histogram in <paramref name="names"/> that is present.</summary>
    public static HistogramSnapshot? FirstHistogram(MetricFamilySet set, params ReadOnlySpan<HistogramNames> names)
    {
        foreach (var name in names)
        {
            if (Histogram(set, name) is { } histogram)
            {
                return histogram;
            }
        }

        return null;
    }

    /// <summary>
    /// The histogram summed over label sets: buckets with the same bound add up, as do sums and counts (valid
    /// because every rank of one engine uses the same bucket bounds). Null when no bucket or count is present.
    /// </summary>
    public static HistogramSnapshot? Histogram(MetricFamilySet set, HistogramNames names)
    {
        Span<HistogramBucket> buckets = stackalloc HistogramBucket[64];
        int bucketCount = 0;
        if (set.TryGetFamilyOfSample(names.Bucket, out var family))
        {
            foreach (ref readonly var sample in family.Samples)
            {
                if (!string.Equals(sample.Name, names.Bucket, StringComparison.Ordinal)
                    || family.LabelValue(sample, "le") is not { } le
                    || !PrometheusNumber.TryParseValue(le, out double bound)
                    || double.IsNaN(bound))
                {
                    continue;
                }

                bucketCount = AddToBucket(buckets, bucketCount, bound, sample.Value);
            }
        }

        double? count = Sum(set, names.Count);
        double? sum = Sum(set, names.Sum);
        if (bucketCount == 0 && count is null)
        {
            return null;
        }

        var sorted = buckets[..bucketCount];
        sorted.Sort(static (a, b) => a.UpperBound.CompareTo(b.UpperBound));
        bool hasInf = bucketCount > 0 && double.IsPositiveInfinity(sorted[^1].UpperBound);
        double total = count ?? (hasInf ? sorted[^1].CumulativeCount : 0);
        var result = new HistogramBucket[bucketCount + (hasInf ? 0 : 1)];
        sorted.CopyTo(result);
        if (!hasInf)
        {
            result[^1] = new HistogramBucket(double.PositiveInfinity, total); // the format requires it; _count is its value
        }

        return new HistogramSnapshot(result, sum ?? 0, total);
    }

    private static int AddToBucket(Span<HistogramBucket> buckets, int count, double bound, double value)
    {
        for (int i = 0; i < count; i++)
        {
            if (buckets[i].UpperBound.Equals(bound))
            {
                buckets[i] = buckets[i] with { CumulativeCount = buckets[i].CumulativeCount + value };
                return count;
            }
        }

        if (count == buckets.Length)
        {
            return count; // more than 64 bounds: not an engine latency histogram we route on; keep the first 64
        }

        buckets[count] = new HistogramBucket(bound, value);
        return count + 1;
    }
}
