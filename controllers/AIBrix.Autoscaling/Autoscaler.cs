using AIBrix.Autoscaling.Decisions;
using AIBrix.Autoscaling.Observations;
using AIBrix.Autoscaling.Recommenders;
using AIBrix.Autoscaling.Schedules;
using AIBrix.Autoscaling.Stabilisation;
using AIBrix.Autoscaling.Windows;

namespace AIBrix.Autoscaling;

/// <summary>
/// The autoscaler of one scale target: feed it each scrape with <see cref="Observe(int, MetricObservation)"/> and
/// ask <see cref="Decide"/> for the replica count. It keeps the metric windows, KPA's panic state, the cooldown
/// history and the HPA scale events between calls, and reads the time from its <see cref="TimeProvider"/>, so a
/// controller scraping every few seconds and a simulation in virtual time drive it the same way.
/// Not thread-safe: one caller at a time (a controller's work queue serialises reconciles per key).
/// </summary>
public sealed partial class Autoscaler
{
    private readonly TimeProvider _time;
    private MetricState[] _metrics;
    private CooldownStabiliser _cooldown;
    private HpaRateLimiter? _hpaRate;
    private readonly PeakTracker _peaks = new();

    /// <summary>
    /// An autoscaler for <paramref name="settings"/>. With more than one ready pod at creation, KPA metrics start in
    /// panic mode holding that count, as Knative does: a new autoscaler (or a restarted controller) has no history
    /// and must not scale down on its first, thin window.
    /// </summary>
    /// <exception cref="ArgumentException">The settings do not validate.</exception>
    public Autoscaler(AutoscalerSettings settings, TimeProvider time, int readyPods = 0)
    {
        ArgumentNullException.ThrowIfNull(time);
        Check(settings);
        _time = time;
        Settings = settings;
        _metrics = settings.Metrics.Select(m => NewState(m, settings)).ToArray();
        _cooldown = new CooldownStabiliser(settings.Granularity);
        _hpaRate = NewRateLimiter(settings);
        if (settings.Strategy == ScalingStrategy.Kpa && readyPods > 1)
        {
            var now = time.GetUtcNow();
            foreach (var metric in _metrics)
            {
                metric.PanicSince = now;
                metric.MaxPanicPods = readyPods;
            }
        }
    }

    /// <summary>The settings in force.</summary>
    public AutoscalerSettings Settings { get; private set; }

    /// <summary>Records one scrape of metric number <paramref name="metric"/> (its index in <see cref="AutoscalerSettings.Metrics"/>), at the clock's now.</summary>
    public ObservationStatus Observe(int metric, MetricObservation observation)
    {
        if ((uint)metric >= (uint)_metrics.Length)
        {
            return ObservationStatus.UnknownMetric;
        }

        if (!double.IsFinite(observation.Value) || observation.Value < 0)
        {
            return ObservationStatus.InvalidValue;
        }

        if (observation.IsEmpty)
        {
            return ObservationStatus.NoSample;
        }

        var state = _metrics[metric];
        var now = _time.GetUtcNow();
        double total = observation.Total, perPod = observation.PerPod;
        if (!state.Window.Record(now, total))
        {
            return ObservationStatus.OutOfOrder;
        }

        state.Latest = new LatestSample(now, total, perPod, observation.SampledPods, observation.ReadyPods);
        return ObservationStatus.Recorded;
    }

    /// <summary>Records one scrape of the metric named <paramref name="metric"/>.</summary>
    public ObservationStatus Observe(string metric, MetricObservation observation) =>
        Observe(Array.FindIndex(_metrics, m => m.Target.Name == metric), observation);

    /// <summary>
    /// The replica count for the target as it is now, with every step that led to it. The cooldown history records
    /// the recommendation; HPA's policies read the replica counts passed in, so a decision that was not applied
    /// (a failed scale write) does not count as a change.
    /// </summary>
    public ScaleDecision Decide(ScaleState state)
    {
        var now = _time.GetUtcNow();
        var settings = Settings;
        var ctx = new RecommendContext(settings, now, state);
        var recommendations = new MetricRecommendation[_metrics.Length];
        int deciding = -1;
        int arrival = _metrics.Length > 1 ? ArrivalMetric() : -1;
        for (int i = 0; i < _metrics.Length; i++)
        {
            if (i == arrival)
            {
                continue;
            }

            recommendations[i] = Recommend(_metrics[i], ref ctx);
            if (recommendations[i].HasData && (deciding < 0 || recommendations[i].Replicas > recommendations[deciding].Replicas))
            {
                deciding = i;
            }
        }

        var bounds = ReplicaBounds.At(settings.Schedules, settings.MinReplicas, settings.MaxReplicas, now);
        int ceiling = bounds.Max;
        int floor = Math.Min(settings.ScaleToZero ? bounds.Min : Math.Max(bounds.Min, 1), ceiling);
        if (_cooldown.IsEmpty)
        {
            _cooldown.Seed(now, ctx.Current);
        }

        int desired = ctx.Current;
        bool demandFell = false, demandLed = false;
        if (arrival >= 0)
        {
            recommendations[arrival] = Demand(arrival, deciding, ref ctx, out int checkFloor, out demandFell, out bool demandRose);
            demandFell &= deciding >= 0;
            if (deciding >= 0 && recommendations[arrival].HasData)
            {
                // Demand above the engine metric's count is the proposal; below it, the engine metric is the check,
                // and an engine metric asking to scale up is never pulled down.
                int engineCount = recommendations[deciding].Replicas, demand = recommendations[arrival].Replicas;
                demandLed = demandRose && demand > engineCount && demand > ctx.Current;
                if (!demandRose && demand > engineCount)
                {
                    demand = engineCount; // a demand above the engine metric leads only when the arrivals clearly rose
                }
                int proposal = demand > engineCount ? demand
                    : engineCount > ctx.Current ? engineCount
                    : Math.Min(engineCount, Math.Max(demand, checkFloor));
                recommendations[deciding] = recommendations[deciding] with { Replicas = ctx.Apply(ScaleLimit.Demand, engineCount, proposal, null) };
            }
        }

        if (deciding >= 0)
        {
            desired = recommendations[deciding].Replicas;
            if (desired == 0 && floor == 0 && !SawNoLoad(now))
            {
                desired = ctx.Apply(ScaleLimit.ScaleToZeroWait, 0, 1, null);
            }

            bool shortDown = demandFell && settings.DemandScaleDownCooldown < settings.ScaleDownCooldown;
            var downWindow = shortDown ? settings.DemandScaleDownCooldown : settings.ScaleDownCooldown;
            int stabilised = _cooldown.Stabilise(now, desired, ctx.Current, settings.ScaleUpCooldown, downWindow, out var held);
            if (shortDown && held == ScaleLimit.ScaleDownCooldown)
            {
                held = ScaleLimit.DemandScaleDownCooldown;
            }

            desired = ctx.Apply(held, desired, stabilised, null);
            if (_hpaRate is not null)
            {
                int limited = _hpaRate.Limit(now, desired, ctx.Current, out var policy);
                desired = ctx.Apply(policy, desired, limited, null);
            }
            else
            {
                // KPA/APA rates, after the cooldown as Kubernetes orders stabilisation and rate: the cooldown holds the
                // unlimited recommendations, so once it lets go the count halves each decision instead of each window.
                // A scale-up the arrivals lead grows by the rate from the count asked for, not from the ready pods: the
                // demand is measured, not a queue on the ready pods read as load, so it need not wait for pods to start.
                int maxUp = demandLed ? Math.Max(ctx.MaxUp, ReplicaMath.Ceil((settings.MaxScaleUpRate ?? AutoscalerDefaults.MaxScaleUpRate) * ctx.Current)) : ctx.MaxUp;
                desired = ctx.Apply(ScaleLimit.ScaleUpRate, desired, Math.Min(desired, maxUp), null);
                desired = ctx.Apply(ScaleLimit.ScaleDownRate, desired, Math.Max(desired, ctx.MinDown), null);
                desired = ApplyPeakFloor(now, desired, ref ctx);
            }
        }

        desired = ctx.Apply(ScaleLimit.MaxReplicas, desired, Math.Min(desired, ceiling), null);
        desired = ctx.Apply(ScaleLimit.MinReplicas, desired, Math.Max(desired, floor), null);
        if (deciding < 0)
        {
            _hpaRate?.Observe(now, ctx.Current);
        }

        return new ScaleDecision(now, settings.Strategy, state, desired, deciding, recommendations, ctx.Limits, bounds);
    }

    // A scale-down keeps peak-floor × the highest count of the peak-floor window (never raises a count that is not a
    // scale-down), then the count asked for is remembered as a peak candidate.
    private int ApplyPeakFloor(DateTimeOffset now, int desired, ref RecommendContext ctx)
    {
        var settings = Settings;
        if (settings.PeakFloor <= 0 || settings.PeakFloorWindow <= TimeSpan.Zero)
        {
            return desired;
        }

        _peaks.DropBefore(now - settings.PeakFloorWindow);
        if (desired < ctx.Current && _peaks.Highest is { } peak)
        {
            int floor = Math.Min(ctx.Current, ReplicaMath.Ceil(settings.PeakFloor * peak));
            desired = ctx.Apply(ScaleLimit.PeakFloor, desired, Math.Max(desired, floor), null);
        }

        _peaks.Add(now, desired);
        return desired;
    }

    private MetricRecommendation Recommend(MetricState metric, ref RecommendContext ctx)
    {
        if (metric.Target.IsReplicaCount)
        {
            return ReplicaCountRecommender.Recommend(metric, ref ctx);
        }

        return Settings.Strategy switch
        {
            ScalingStrategy.Kpa => KpaRecommender.Recommend(metric, ref ctx),
            ScalingStrategy.Apa => ApaRecommender.Recommend(metric, ref ctx),
            _ => HpaRecommender.Recommend(metric, ref ctx),
        };
    }

    // Zero only once every metric's stable window has been watched for its whole length and held nothing but zero.
    private bool SawNoLoad(DateTimeOffset now)
    {
        foreach (var metric in _metrics)
        {
            if (metric.Target.IsReplicaCount)
            {
                if (metric.Latest is not { Total: 0 })
                {
                    return false;
                }

                continue;
            }

            var reading = metric.Window.Read(now);
            if (!reading.Stable.HasData || reading.Stable.Total > 0 || reading.Coverage < Settings.StableWindow)
            {
                return false;
            }
        }

        return true;
    }

    private static MetricState NewState(MetricTarget target, AutoscalerSettings settings) =>
        new(target, new MetricWindow(settings.StableWindow, settings.PanicWindow, settings.ApaWindow, settings.Granularity));

    private static HpaRateLimiter? NewRateLimiter(AutoscalerSettings settings) =>
        settings.Strategy == ScalingStrategy.Hpa
            ? new HpaRateLimiter(HpaScalingPolicy.ScaleUp(settings.MaxScaleUpRate), HpaScalingPolicy.ScaleDown(settings.MaxScaleDownRate))
            : null;

    private static void Check(AutoscalerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid autoscaler settings: " + string.Join("; ", errors), nameof(settings));
        }
    }
}
