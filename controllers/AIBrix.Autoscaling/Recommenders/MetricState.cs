using AIBrix.Autoscaling.Observations;
using AIBrix.Autoscaling.Windows;

namespace AIBrix.Autoscaling.Recommenders;

/// <summary>What an autoscaler keeps per metric between decisions: its windows, newest sample and KPA's panic state.</summary>
internal sealed class MetricState(MetricTarget target, MetricWindow window)
{
    /// <summary>The metric and its target.</summary>
    public MetricTarget Target { get; } = target;

    /// <summary>Its time buckets.</summary>
    public MetricWindow Window { get; } = window;

    /// <summary>The newest sample; null before the first.</summary>
    public LatestSample? Latest { get; set; }

    /// <summary>KPA: the last time the panic threshold was crossed; null when not in panic mode.</summary>
    public DateTimeOffset? PanicSince { get; set; }

    /// <summary>KPA: the highest count asked for during the current panic; the count never drops below it.</summary>
    public int MaxPanicPods { get; set; }

    /// <summary>
    /// An arrival-rate metric: the seconds a request stays counted in the engine metric (Little's law's W), learned
    /// while the pods ran steadily near their target, where it applies (a request takes longer in a fuller batch); null until then.
    /// </summary>
    public double? ServiceSecondsAtTarget { get; set; }

    /// <summary>The newest sample when it is younger than <paramref name="freshFor"/>; null otherwise.</summary>
    public LatestSample? Fresh(DateTimeOffset now, TimeSpan freshFor) =>
        Latest is { } latest && now - latest.At < freshFor ? latest : null;
}
