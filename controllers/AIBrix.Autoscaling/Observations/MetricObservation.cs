namespace AIBrix.Autoscaling.Observations;

/// <summary>
/// One scrape of one metric across the target, aggregated: the sum over the pods that answered, or one value for
/// the whole target. Ready pods that did not answer are left out of the sum, never counted as idle: the total is
/// estimated from the ones that did (Knative's way), so one failing pod cannot block or skew a decision (AIBrix #617).
/// </summary>
public readonly record struct MetricObservation
{
    private MetricObservation(double value, int sampledPods, int readyPods, bool wholeTarget)
    {
        Value = value;
        SampledPods = sampledPods;
        ReadyPods = readyPods;
        IsWholeTarget = wholeTarget;
    }

    /// <summary>The sum over <see cref="SampledPods"/>, or the whole target's value when <see cref="SampledPods"/> is 0.</summary>
    public double Value { get; }

    /// <summary>Pods whose value is in <see cref="Value"/>; 0 for a value that covers the whole target.</summary>
    public int SampledPods { get; }

    /// <summary>Ready pods of the target at the scrape (at least <see cref="SampledPods"/>).</summary>
    public int ReadyPods { get; }

    /// <summary>Whether <see cref="Value"/> covers the whole target (<see cref="FromTotal"/>) rather than summing pods.</summary>
    public bool IsWholeTarget { get; }

    /// <summary>Pod values with no pod in them: nothing was measured (not a load of zero).</summary>
    public bool IsEmpty => !IsWholeTarget && SampledPods == 0;

    /// <summary>The sum of <paramref name="sampledPods"/> pods' values, with <paramref name="readyPods"/> ready in all.</summary>
    public static MetricObservation FromPods(double sum, int sampledPods, int readyPods) =>
        new(sum, Math.Max(0, sampledPods), Math.Max(readyPods, sampledPods), wholeTarget: false);

    /// <summary>The values of the pods that answered, with <paramref name="readyPods"/> ready in all.</summary>
    public static MetricObservation FromPods(ReadOnlySpan<double> values, int readyPods)
    {
        double sum = 0;
        foreach (double value in values)
        {
            sum += value;
        }

        return FromPods(sum, values.Length, readyPods);
    }

    /// <summary>One value for the whole target (an external metric, or a total computed elsewhere).</summary>
    public static MetricObservation FromTotal(double value, int readyPods) => new(value, 0, Math.Max(0, readyPods), wholeTarget: true);

    /// <summary>The target's total: the sampled pods' mean times the ready pods, or the whole-target value.</summary>
    internal double Total => IsWholeTarget ? Value : Value / SampledPods * ReadyPods;

    /// <summary>The per-pod value: the sampled pods' mean, or the whole-target value spread over the ready pods.</summary>
    internal double PerPod => IsWholeTarget ? Value / Math.Max(1, ReadyPods) : Value / SampledPods;
}
