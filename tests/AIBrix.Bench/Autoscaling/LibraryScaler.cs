using System.Globalization;
using AIBrix.Autoscaling;
using AIBrix.Autoscaling.Annotations;
using AIBrix.Autoscaling.Decisions;
using AIBrix.Autoscaling.Observations;
using AIBrix.Autoscaling.Spec;
using AIBrix.Bench.Replay;
using AIBrix.EngineSim;
using Microsoft.Extensions.Time.Testing;

namespace AIBrix.Bench.Autoscaling;

/// <summary>
/// The autoscaling library in the loop, as the PodAutoscaler controller drives it: every interval it scrapes the
/// ready pods' metric (their engines' values at that instant), hands the sum to <see cref="Autoscaler.Observe(int, MetricObservation)"/>
/// and applies <see cref="Autoscaler.Decide"/>'s count. The settings come from a PodAutoscaler spec and its
/// <c>autoscaling.aibrix.ai/*</c> annotations through the library's own parser, so every CRD setting applies.
/// With a scrape delay the decision at t reads the metric as the pods had it at t − delay (a scraper or metrics
/// pipeline that lags), while the pod counts are the current ones, as the scale subresource gives them.
/// </summary>
public sealed class LibraryScaler : IFleetScaler
{
    private readonly Autoscaler _autoscaler;
    private readonly FakeTimeProvider _clock;
    private readonly Func<EngineModel, double> _read;
    private readonly double _interval;
    private readonly double _scrapeDelay;
    private readonly Queue<(double Sum, int Ready, double At, long Arrivals)> _scraped = new();
    private readonly bool _arrivalSignal;
    private long _scrapes;
    private (double At, long Arrivals) _lastArrivals;

    private LibraryScaler(Autoscaler autoscaler, FakeTimeProvider clock, Func<EngineModel, double> read, double interval, double startup, double scrapeDelay, bool arrivalSignal)
    {
        _arrivalSignal = arrivalSignal;
        _autoscaler = autoscaler;
        _clock = clock;
        _read = read;
        _interval = interval;
        _scrapeDelay = scrapeDelay;
        PodStartupSeconds = startup;
        NextDecisionSeconds = interval;
        NextScrapeSeconds = scrapeDelay > 0 ? ScrapeTime(1) : double.PositiveInfinity;
    }

    /// <summary>The gateway's per-model arrival rate, requests per second over its last window (<c>/metrics</c> of the gateway).</summary>
    public const string ArrivalMetric = "aibrix_gateway_model_arrival_rate";

    /// <summary>The decisions' reasons, one line each (the status' scaling history, in full).</summary>
    public List<string> Reasons { get; } = [];

    /// <inheritdoc/>
    public double NextDecisionSeconds { get; private set; }

    /// <inheritdoc/>
    public double PodStartupSeconds { get; }

    /// <inheritdoc/>
    public double NextScrapeSeconds { get; private set; }

    /// <summary>
    /// Parses the settings as the controller would (strategy, bounds, metric, target, annotations); the errors
    /// and warnings the parser gives, when it gives any.
    /// </summary>
    public static AutoscalerSettings? Settings(AutoscaleOptions options, List<string> errors, List<string> warnings)
    {
        ScalingMetrics.TryGet(options.Metric, out string metric, out _);
        var spec = new AutoscalerSpec
        {
            ScalingStrategy = options.Autoscaler.ToUpperInvariant(),
            MinReplicas = options.Min,
            MaxReplicas = options.Max,
            MetricsSources = UsesArrivals(options)
                ? [new MetricSourceSpec("pod", metric, options.TargetValue.ToString("R", CultureInfo.InvariantCulture)), new MetricSourceSpec("external", ArrivalMetric, "1")]
                : [new MetricSourceSpec("pod", metric, options.TargetValue.ToString("R", CultureInfo.InvariantCulture))],
        };
        var annotations = options.Settings.ToDictionary(s => AutoscalingAnnotations.Prefix + s.Key, s => s.Value, StringComparer.Ordinal);
        var parsed = AutoscalerSpecParser.Parse(spec, annotations);
        errors.AddRange(parsed.Errors.Select(e => "--set: " + e.Replace("annotation " + AutoscalingAnnotations.Prefix, "", StringComparison.Ordinal)));
        warnings.AddRange(parsed.Warnings.Select(w => w.Replace("annotation " + AutoscalingAnnotations.Prefix, "", StringComparison.Ordinal)));
        return errors.Count == 0 ? parsed.Settings : null;
    }

    private static bool UsesArrivals(AutoscaleOptions options) =>
        options.ArrivalSignal && !options.Autoscaler.Equals("hpa", StringComparison.OrdinalIgnoreCase);

    /// <summary>The scaler for valid <paramref name="settings"/>.</summary>
    public static LibraryScaler Create(AutoscaleOptions options, AutoscalerSettings settings)
    {
        ScalingMetrics.TryGet(options.Metric, out _, out var read);
        var clock = new FakeTimeProvider(VirtualReplay.Epoch);
        return new LibraryScaler(new Autoscaler(settings, clock, readyPods: options.Min), clock, read, options.IntervalSeconds, options.PodStartupSeconds, options.ScrapeDelaySeconds, UsesArrivals(options));
    }

    /// <inheritdoc/>
    public int Decide(double now, FleetStatus fleet)
    {
        NextDecisionSeconds = now + _interval;
        _clock.SetUtcNow(VirtualReplay.Epoch.AddTicks((long)(now * TimeSpan.TicksPerSecond)));
        var (sum, ready, at, arrivals) = _scrapeDelay > 0 && _scraped.TryDequeue(out var scraped) ? scraped : (Sum(fleet), fleet.Ready, now, fleet.Arrivals);
        _autoscaler.Observe(0, MetricObservation.FromPods(sum, ready, ready));
        if (_arrivalSignal)
        {
            // The gateway's rate over its last window: the arrivals between this scrape and the one before.
            double span = at - _lastArrivals.At;
            if (span > 0)
            {
                _autoscaler.Observe(1, MetricObservation.FromTotal((arrivals - _lastArrivals.Arrivals) / span, ready));
            }

            _lastArrivals = (at, arrivals);
        }

        var decision = _autoscaler.Decide(new ScaleState(fleet.Desired, fleet.Ready));
        if (decision.Changes)
        {
            Reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{now:F0}s {decision.Reason}"));
        }

        return decision.DesiredReplicas;
    }

    /// <inheritdoc/>
    public void Scrape(double now, FleetStatus fleet)
    {
        _scraped.Enqueue((Sum(fleet), fleet.Ready, now, fleet.Arrivals));
        NextScrapeSeconds = ScrapeTime(++_scrapes + 1);
    }

    /// <summary>When the scrape that decision <paramref name="decision"/> (1-based) reads is taken: the delay before it, not before the start.</summary>
    private double ScrapeTime(long decision) => Math.Max(0, (decision * _interval) - _scrapeDelay);

    private double Sum(FleetStatus fleet)
    {
        double sum = 0;
        foreach (var engine in fleet.ReadyEngines)
        {
            sum += _read(engine);
        }

        return sum;
    }
}
