using AIBrix.Bench.Replay;

namespace AIBrix.Bench.Autoscaling;

/// <summary>
/// The strategy that knows the future: from the trace it knows the load every second ahead (the metric's total
/// over a fleet large enough for it, measured by replaying the trace first), and at every decision it asks for
/// the most pods the load will need before a pod started now could be ready and the next decision taken, at the
/// same per-pod target as the others. Pods are thus ready one start-up time before the load that needs them,
/// and none is removed that would be needed again before a new one could start: the least pod time that
/// holds the target, a lower bound for any strategy that only sees the past.
/// </summary>
public sealed class OracleScaler : IFleetScaler
{
    /// <summary>The strategy's name in <c>--autoscaler</c>.</summary>
    public const string Name = "oracle";

    private readonly int[] _need; // pods the load needs in each virtual second
    private readonly double _interval;
    private readonly int _min, _max;

    private OracleScaler(int[] need, AutoscaleOptions options)
    {
        _need = need;
        _interval = options.IntervalSeconds;
        _min = options.Min;
        _max = options.Max;
        PodStartupSeconds = options.PodStartupSeconds;
        NextDecisionSeconds = options.IntervalSeconds;
    }

    /// <inheritdoc/>
    public double NextDecisionSeconds { get; private set; }

    /// <inheritdoc/>
    public double PodStartupSeconds { get; }

    /// <summary>
    /// Measures the load: the trace replayed on <see cref="AutoscaleOptions.Max"/> pods, the fleet's total of the
    /// metric (the engines' own accounting, as the others scrape it) sampled every second; a second needs
    /// ceil(total ÷ target) pods. The waiting-queue metric says nothing about capacity (it is zero on an ample
    /// fleet), so with it the oracle provisions by running requests at their default target.
    /// </summary>
    public static OracleScaler Create(AutoscaleOptions options, IReadOnlyList<TraceRequest> trace)
    {
        ScalingMetrics.TryGet(options.Metric, out string metric, out var read);
        double target = options.TargetValue;
        if (metric == ScalingMetrics.Waiting)
        {
            ScalingMetrics.TryGet(ScalingMetrics.Running, out _, out read);
            target = ScalingMetrics.DefaultTarget(ScalingMetrics.Running);
        }

        var recorder = new LoadRecorder(read);
        new VirtualReplay(options.Replay with { Pods = options.Max }, trace, recorder).Run();
        int[] need = [.. recorder.Totals.Select(total => (int)Math.Ceiling((total - 1e-9) / target))];
        return new OracleScaler(need, options);
    }

    /// <summary>Keeps the fleet as it is and samples the sum of the metric over it every second.</summary>
    private sealed class LoadRecorder(Func<AIBrix.EngineSim.EngineModel, double> read) : IFleetScaler
    {
        public List<double> Totals { get; } = [];

        public double NextDecisionSeconds => Totals.Count;

        public double PodStartupSeconds => 0;

        public int Decide(double now, FleetStatus fleet)
        {
            double sum = 0;
            foreach (var engine in fleet.ReadyEngines)
            {
                sum += read(engine);
            }

            Totals.Add(sum);
            return fleet.Desired;
        }
    }

    /// <inheritdoc/>
    public int Decide(double now, FleetStatus fleet)
    {
        NextDecisionSeconds = now + _interval;
        int from = Math.Max(0, (int)Math.Floor(now));
        int to = Math.Min(_need.Length - 1, (int)Math.Ceiling(now + PodStartupSeconds + _interval));
        int pods = _min;
        for (int s = from; s <= to; s++)
        {
            pods = Math.Max(pods, _need[s]);
        }

        return Math.Min(pods, _max);
    }
}
