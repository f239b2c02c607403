using AIBrix.Bench.Replay;
using AIBrix.EngineSim;

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

    /// <summary>Calibration runs after the first, at most: each adds the load the last one measured.</summary>
    private const int CalibrationRuns = 4;

    private readonly int[] _need; // pods the load needs in each virtual second
    private readonly double _interval;
    private readonly int _min, _max;
    private readonly Func<EngineModel, double>? _sample;
    private double _nextDecision;
    private int _desired;

    private OracleScaler(int[] need, AutoscaleOptions options, Func<EngineModel, double>? sample = null)
    {
        _need = need;
        _interval = options.IntervalSeconds;
        _min = options.Min;
        _max = options.Max;
        _sample = sample;
        PodStartupSeconds = options.PodStartupSeconds;
        _nextDecision = options.IntervalSeconds;
        NextDecisionSeconds = sample is null ? _nextDecision : 0;
    }

    /// <inheritdoc/>
    public double NextDecisionSeconds { get; private set; }

    /// <inheritdoc/>
    public double PodStartupSeconds { get; }

    /// <summary>With sampling on: the fleet's total of the metric, each second.</summary>
    private List<double> Totals { get; } = [];

    /// <summary>
    /// Measures the load. First on <see cref="AutoscaleOptions.Max"/> pods: the fleet's total of the metric (the
    /// engines' own accounting, as the others scrape it) each second; a second needs ceil(total ÷ target) pods.
    /// A loaded pod serves each request more slowly than an idle one, so the same trace is then run under the
    /// oracle itself and every second that measured more load than it provisioned for gets a higher count (by at
    /// most half again per run), until a run finds none (or after <see cref="CalibrationRuns"/> runs). The waiting-queue metric says nothing
    /// about capacity (it is zero on an ample fleet), so with it the oracle provisions by running requests at
    /// their default target.
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
        int[] need = [.. recorder.Totals.Select(total => Pods(total, target))];
        for (int run = 0; run < CalibrationRuns; run++)
        {
            var probe = new OracleScaler(need, options, read);
            new VirtualReplay(options.Replay with { Pods = options.Min }, trace, probe).Run();
            bool raised = false;
            int length = Math.Max(need.Length, probe.Totals.Count);
            int[] next = new int[length];
            for (int s = 0; s < length; s++)
            {
                int had = s < need.Length ? need[s] : 0;
                int measured = s < probe.Totals.Count ? Pods(probe.Totals[s], target) : 0;
                // Damped: a second that was short of pods also queued, and its queue reads as more load than the
                // trace brings, so each run raises a count by at most half again.
                next[s] = Math.Max(had, Math.Min(measured, had + (had / 2) + 1));
                raised |= next[s] > had;
            }

            need = next;
            if (!raised)
            {
                break;
            }
        }

        return new OracleScaler(need, options);
    }

    private static int Pods(double total, double target) => (int)Math.Ceiling((total - 1e-9) / target);

    /// <summary>Keeps the fleet as it is and samples the sum of the metric over it every second.</summary>
    private sealed class LoadRecorder(Func<EngineModel, double> read) : IFleetScaler
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
        if (_sample is not null)
        {
            double sum = 0;
            foreach (var engine in fleet.ReadyEngines)
            {
                sum += _sample(engine);
            }

            Totals.Add(sum);
            NextDecisionSeconds = Totals.Count;
            if (now < _nextDecision)
            {
                return _desired == 0 ? fleet.Desired : _desired;
            }
        }

        _nextDecision = now + _interval;
        NextDecisionSeconds = _sample is null ? _nextDecision : NextDecisionSeconds;
        int from = Math.Max(0, (int)Math.Floor(now));
        int to = Math.Min(_need.Length - 1, (int)Math.Ceiling(now + PodStartupSeconds + _interval));
        int pods = _min;
        for (int s = from; s <= to; s++)
        {
            pods = Math.Max(pods, _need[s]);
        }

        _desired = Math.Min(pods, _max);
        return _desired;
    }
}
