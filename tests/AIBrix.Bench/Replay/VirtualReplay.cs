using AIBrix.EngineSim;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Processing;
using AIBrix.Gateway.Core.Routing;
using AIBrix.Gateway.Core.Routing.KvEvents;
using AIBrix.KvEvents;
using Microsoft.Extensions.Time.Testing;

namespace AIBrix.Bench.Replay;

/// <summary>
/// Replays a trace on a discrete-event clock: N <see cref="EngineModel"/>s stand for the pods, the gateway's
/// real pipeline and policies route each arrival, and the policies see engine metrics through
/// <see cref="EndpointRegistry.OnScraped"/> refreshed every scrape interval, as the live gateway does, plus
/// the gateway's own in-flight counts (held from routing to the last token). With several gateway replicas
/// (<see cref="ReplayOptions.Gateways"/>) arrivals go round-robin to replicas that share nothing, and their
/// scrapes are spread evenly over the interval. A request longer than the engines' context gets the engine's
/// 400 back through the pipeline and is counted as rejected; nothing in a trace stops the run.
/// With an <see cref="IFleetScaler"/> the fleet grows and shrinks during the run (VirtualReplay.Fleet.cs).
/// Single-threaded and seeded: the same options give the same result.
/// </summary>
public sealed partial class VirtualReplay
{
    private const double TimelineStepSeconds = 1.0;

    /// <summary>Virtual time zero (fixed, so runs are reproducible).</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ReplayOptions _options;
    private readonly IReadOnlyList<TraceRequest> _trace;
    // Every pod the run ever had, in creation order (pod-0, pod-1, ...); removed pods stay, unrouted.
    private readonly List<EngineModel> _engines = [];
    private readonly List<int> _podRequests = [];
    private readonly EngineConfig _engineConfig;
    private readonly Dictionary<string, EngineModel> _byName = new(StringComparer.Ordinal);
    private readonly GatewayReplica[] _gateways;
    // The routing core's clock: it moves only when the event loop says so (forward, to each event's time),
    // so metric staleness and index ageing follow the trace, not the CPU.
    private readonly FakeTimeProvider _clock = new(Epoch);
    private readonly OracleRoutingPolicy _oracle;
    private readonly OracleTtftRoutingPolicy _oracleTtft;
    private readonly Dictionary<string, int> _podIndex = new(StringComparer.Ordinal);
    private readonly List<EngineEvent> _events = [];
    private ReplayResult _result = null!;
    private int _outstanding;
    private long _arrived; // requests that have arrived so far: the gateway's arrival counter

    private sealed class InFlight(ReplayRouter router, RequestContext context, double arrival, int promptTokens, int outputTokens, int pod)
    {
        public ReplayRouter Router { get; } = router;
        public int Pod { get; } = pod;
        public RequestContext Context { get; } = context;
        public double Arrival { get; } = arrival;
        public int PromptTokens { get; } = promptTokens;
        public int OutputTokens { get; } = outputTokens;
        public double FirstToken { get; set; } = double.NaN;
    }

    /// <summary>Sets up the fleet and the gateways; throws <see cref="ArgumentException"/> for an unknown policy or bad options.</summary>
    public VirtualReplay(ReplayOptions options, IReadOnlyList<TraceRequest> trace, IFleetScaler? scaler = null)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }

        _options = options;
        _trace = trace;
        _engineConfig = new EngineConfig
        {
            EmitTokenEvents = false,
            NumGpuBlocks = options.NumGpuBlocks,
            MaxModelLen = options.MaxModelLen,
        };
        _scaler = scaler;
        for (int i = 0; i < options.Pods; i++)
        {
            var pod = options.Fleet?[i];
            AddPod(0, ready: true, pod is null ? null : pod.Engine with { EmitTokenEvents = false }, pod?.Name);
        }

        _oracle = new OracleRoutingPolicy(_byName, new SeededRandomSource(options.Seed));
        _oracleTtft = new OracleTtftRoutingPolicy(_byName, new SeededRandomSource(options.Seed));
        _gateways = new GatewayReplica[options.Gateways];
        string[] names = [.. _podIndex.Keys];
        var sharedClocks = options.SharePrefillClocks ? new PrefillClocks() : null;
        for (int g = 0; g < _gateways.Length; g++)
        {
            _gateways[g] = new GatewayReplica(options, g, names, _clock, [_oracle, _oracleTtft], sharedClocks);
        }

        if (options.UsesKvEvents)
        {
            for (int i = 0; i < _engines.Count; i++)
            {
                FollowKvEvents(i);
            }
        }
    }

    /// <summary>Pod names, in pod order (<c>pod-0</c>...).</summary>
    public IReadOnlyList<string> PodNames => [.. _podIndex.OrderBy(p => p.Value).Select(p => p.Key)];

    /// <summary>
    /// Pod <paramref name="pod"/>'s KV event stream in virtual time (vLLM's batches, numbered, timestamped with
    /// virtual seconds, delivered on the replay's thread as the engine steps): subscribe before <see cref="Run"/>.
    /// The engine records events only once this is asked for, so replays that don't listen pay nothing.
    /// </summary>
    public InProcessKvEventStream KvEvents(int pod)
    {
        var engine = _engines[pod];
        if (engine.KvEvents is not InProcessKvEventStream stream)
        {
            stream = new InProcessKvEventStream();
            engine.KvEvents = stream;
        }

        return stream;
    }

    /// <summary>Every gateway replica follows pod <paramref name="pod"/>'s KV-cache events (in virtual time).</summary>
    private void FollowKvEvents(int pod)
    {
        var stream = KvEvents(pod);
        string name = _podIndex.First(p => p.Value == pod).Key;
        foreach (var gateway in _gateways)
        {
            gateway.Follow(name, stream);
        }
    }

    /// <summary>Gateway replica <paramref name="gateway"/>'s block index (what the pods' KV events told it).</summary>
    public KvBlockIndex GatewayKvBlocks(int gateway) => _gateways[gateway].KvBlocks;

    /// <summary>The hashes each pod's engine has cached now (the truth the events describe).</summary>
    public IReadOnlyList<HashSet<ulong>> CachedBlocks() => [.. _engines.Select(e =>
    {
        var set = new HashSet<ulong>();
        e.CopyCachedBlockHashes(set);
        return set;
    })];

    /// <summary>Runs the whole trace; <paramref name="progress"/> gets the fraction of arrivals done.</summary>
    public ReplayResult Run(Action<double>? progress = null)
    {
        _result = new ReplayResult { Options = _options, Mode = "virtual", PodRequests = [] };
        // One scrape per replica per interval, spread evenly: tick k is replica k mod N's scrape at k·interval/N.
        int replicas = _gateways.Length;
        double step = _options.ScrapeIntervalSeconds / replicas;
        long tick = 0; // scrape time = tick * step, no drift from summing
        double nextTimeline = 0;
        int next = 0;
        bool useOracle = string.Equals(_options.Policy, OracleRoutingPolicy.PolicyName, StringComparison.OrdinalIgnoreCase)
            || string.Equals(_options.Policy, OracleTtftRoutingPolicy.PolicyName, StringComparison.OrdinalIgnoreCase);
        foreach (var gateway in _gateways)
        {
            gateway.Scrape(_engines, At(0));
        }

        tick = 1;
        double first = _trace.Count > 0 ? _trace[0].ArrivalSeconds / _options.TimeScale : 0;
        StartFleet(first);
        double lastFinish = first;
        int reportEvery = Math.Max(1, _trace.Count / 200);
        while (next < _trace.Count || _outstanding > 0)
        {
            double arrival = next < _trace.Count ? _trace[next].ArrivalSeconds / _options.TimeScale : double.PositiveInfinity;
            if (_outstanding == 0 && tick * step < arrival)
            {
                // Idle fleet: nothing changes until the next arrival, so jump to the last scrape before it.
                tick = Math.Max(tick, (long)Math.Floor(arrival / step));
            }

            double scrapeAt = tick * step;
            double fleetAt = NextFleetEvent();
            double now = Math.Min(arrival, Math.Min(scrapeAt, fleetAt));
            _clock.SetUtcNow(At(now));
            lastFinish = Math.Max(lastFinish, AdvanceAll(now));
            if (fleetAt <= scrapeAt && fleetAt <= arrival)
            {
                FleetEvent(now);
                continue;
            }

            if (scrapeAt <= arrival)
            {
                _gateways[(int)(tick % replicas)].Scrape(_engines, At(scrapeAt));
                tick++;
                if (scrapeAt >= nextTimeline)
                {
                    _result.Timeline.Add((scrapeAt, [.. _engines.Select(e => e.RunningCount + e.WaitingCount)]));
                    nextTimeline = scrapeAt + TimelineStepSeconds;
                }

                continue;
            }

            var request = _trace[next];
            var router = _gateways[next % replicas].Router;
            next++;
            _arrived = next;
            int[] tokens = SyntheticPrompt.Tokens(request);
            if (useOracle)
            {
                _oracle.CurrentBlockHashes = _oracleTtft.CurrentBlockHashes = PrefixHasher.BlockHashes(tokens, 16, PrefixHasher.ChainSeed(null));
                _oracleTtft.CurrentPromptTokens = tokens.Length;
            }

            var (context, target) = router.Route(SyntheticPrompt.Text(request), request.OutputTokens);
            int pod = _podIndex[target.Name];
            _podRequests[pod]++;
            var engineRequest = new EngineRequest
            {
                PromptTokens = tokens,
                OutputTokens = request.OutputTokens,
                State = new InFlight(router, context, now, tokens.Length, request.OutputTokens, pod),
            };
            if (_engines[pod].TrySubmit(engineRequest, now, out var refusal))
            {
                _outstanding++;
                HandleEvents(_engines[pod]);
            }
            else
            {
                _result.Rejected++;
                router.Refused(context, ContextLengthError.Status, refusal!.ToJson());
            }

            if (next % reportEvery == 0)
            {
                progress?.Invoke((double)next / _trace.Count);
            }
        }
        foreach (var engine in _engines)
        {
            _result.OutputTokens += engine.Counters.GenerationTokens;
            _result.Preemptions += engine.Counters.Preemptions;
        }

        _result.DurationSeconds = lastFinish - first;
        _result.PodRequests = [.. _podRequests];
        EndFleet(lastFinish);
        progress?.Invoke(1);
        return _result;
    }

    /// <summary>Runs every engine up to <paramref name="time"/> and settles what finished; returns the last finish time.</summary>
    private double AdvanceAll(double time)
    {
        double last = double.NegativeInfinity;
        for (int i = 0; i < _engines.Count; i++)
        {
            // A pod that is gone has nothing left to run (most of a long autoscaled run's pods, eventually).
            if (_podStates[i] != PodState.Gone)
            {
                _engines[i].AdvanceTo(time);
                last = Math.Max(last, HandleEvents(_engines[i]));
            }
        }

        return last;
    }

    private double HandleEvents(EngineModel engine)
    {
        double last = double.NegativeInfinity;
        _events.Clear();
        engine.DrainEvents(_events);
        foreach (var e in _events)
        {
            var state = (InFlight)e.Request.State!;
            switch (e.Kind)
            {
                case EngineEventKind.FirstToken when double.IsNaN(state.FirstToken):
                    state.FirstToken = e.Time;
                    break;
                case EngineEventKind.Finished:
                    double ttft = (double.IsNaN(state.FirstToken) ? e.Time : state.FirstToken) - state.Arrival;
                    double e2e = e.Time - state.Arrival;
                    _result.TtftMs.Add(ttft * 1000);
                    _result.E2eMs.Add(e2e * 1000);
                    double tpot = state.OutputTokens > 1 ? (e2e - ttft) * 1000 / (state.OutputTokens - 1) : double.NaN;
                    if (state.OutputTokens > 1)
                    {
                        _result.TpotMs.Add(tpot);
                    }

                    _result.Latencies.Add(new RequestLatency(state.Arrival, ttft * 1000, tpot, e2e * 1000));

                    // Cached tokens at the request's first admission: recomputing after a preemption is not a hit.
                    _result.PrefixQueryTokens += state.PromptTokens;
                    _result.PrefixHitTokens += e.CachedTokens;
                    state.Router.Finish(state.Context);
                    _outstanding--;
                    Finished(state.Pod, e.Time);
                    last = Math.Max(last, e.Time);
                    break;
            }
        }

        return last;
    }

    /// <summary>The instant <paramref name="seconds"/> of virtual time after <see cref="Epoch"/>.</summary>
    private static DateTimeOffset At(double seconds) => Epoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
}
