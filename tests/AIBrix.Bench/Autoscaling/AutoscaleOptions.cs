using AIBrix.Bench.Autoscaling.ColdStart;
using AIBrix.Bench.Replay;

namespace AIBrix.Bench.Autoscaling;

/// <summary>One closed-loop autoscaling run: the trace and fleet (as a replay's), the strategy and its settings.</summary>
public sealed record AutoscaleOptions
{
    /// <summary>The strategies: the library's three and the oracle that sees the future.</summary>
    public static readonly string[] Strategies = ["hpa", "kpa", "apa", OracleScaler.Name];

    /// <summary>The trace, routing policy, seed and time scale; <see cref="ReplayOptions.Pods"/> is ignored (the fleet starts at <see cref="Min"/>).</summary>
    public required ReplayOptions Replay { get; init; }

    /// <summary>hpa, kpa, apa or oracle.</summary>
    public string Autoscaler { get; init; } = "kpa";

    /// <summary>The metric scaled on (<see cref="ScalingMetrics"/>).</summary>
    public string Metric { get; init; } = ScalingMetrics.KvCacheUsage;

    /// <summary>Per-pod target; null: the metric's default.</summary>
    public double? Target { get; init; }

    /// <summary>The fewest pods (the fleet starts with this many, ready).</summary>
    public int Min { get; init; } = 1;

    /// <summary>The most pods.</summary>
    public int Max { get; init; } = 16;

    /// <summary>Seconds between decisions (the controller's reconcile interval).</summary>
    public double IntervalSeconds { get; init; } = 10;

    /// <summary>Seconds from a pod's creation to ready (image pull, model load): the paper's 2-3 minutes.</summary>
    public double PodStartupSeconds { get; init; } = 120;

    /// <summary>
    /// Seconds by which the metric a decision reads lags behind the pods (the scraper's or metrics pipeline's delay):
    /// 0 reads the pods at the decision, as the controller's direct scrape does.
    /// </summary>
    public double ScrapeDelaySeconds { get; init; }

    /// <summary>
    /// Start-up time by where the node holds the model, on a node pool (<c>--startup-model</c>, <c>--nodes</c>,
    /// <c>--warm-nodes</c>, <c>--placement-hint</c>); null: every pod takes <see cref="PodStartupSeconds"/>.
    /// </summary>
    public ColdStartOptions? ColdStart { get; init; }

    /// <summary>
    /// KPA/APA: add the gateway's arrival rate (<see cref="LibraryScaler.ArrivalMetric"/>) as a second metric source, the
    /// demand signal of docs/autoscaling.md; the simulated gateway counts arrivals exactly and the scrape delay applies.
    /// </summary>
    public bool ArrivalSignal { get; init; }

    /// <summary>Settings as the CRD's annotations take them, without the prefix (<c>panic-threshold=3</c>).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>The target in force.</summary>
    public double TargetValue => Target ?? (ScalingMetrics.TryGet(Metric, out string canonical, out _) ? ScalingMetrics.DefaultTarget(canonical) : 1);

    /// <summary>Every problem with these options (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = Replay.Validate().Where(e => !e.StartsWith("--pods", StringComparison.Ordinal)).ToList();
        if (!Strategies.Contains(Autoscaler, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"--autoscaler: '{Autoscaler}' is not one of {string.Join(", ", Strategies)}");
        }

        if (!ScalingMetrics.TryGet(Metric, out _, out _))
        {
            errors.Add($"--metric: '{Metric}' is not one of {string.Join(", ", ScalingMetrics.Names)}");
        }

        if (Target is { } t && (!double.IsFinite(t) || t <= 0))
        {
            errors.Add("--target must be a number above 0");
        }

        if (Min < 1)
        {
            errors.Add("--min must be at least 1 (the closed loop does not scale to zero)");
        }

        if (Max < Min)
        {
            errors.Add($"--max {Max} is below --min {Min}");
        }

        if (!(IntervalSeconds >= 1) || !double.IsFinite(IntervalSeconds))
        {
            errors.Add("--interval-s must be at least 1");
        }

        if (!(PodStartupSeconds >= 0) || !double.IsFinite(PodStartupSeconds))
        {
            errors.Add("--pod-startup-s must be 0 or more");
        }

        if (!(ScrapeDelaySeconds >= 0) || !double.IsFinite(ScrapeDelaySeconds))
        {
            errors.Add("--scrape-delay-s must be 0 or more");
        }

        if (ColdStart is not null)
        {
            errors.AddRange(ColdStart.Validate(Min, Max));
        }

        return errors;
    }
}
