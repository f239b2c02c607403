using AIBrix.EngineMetrics;
using AIBrix.EngineSim;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Processing;
using AIBrix.Gateway.Core.Routing;
using Microsoft.Extensions.Time.Testing;

namespace AIBrix.Bench.Replay;

/// <summary>
/// Replays a trace on a discrete-event clock: N <see cref="EngineModel"/>s stand for the pods, the gateway's
/// real pipeline and policies route each arrival, and the policies see engine metrics through
/// <see cref="EndpointRegistry.OnScraped"/> refreshed every scrape interval, as the live gateway does, plus
/// the gateway's own in-flight counts (held from routing to the last token). Single-threaded and seeded:
/// the same options give the same result.
/// </summary>
public sealed class VirtualReplay
{
    private const double TimelineStepSeconds = 1.0;

    /// <summary>Virtual time zero (fixed, so runs are reproducible).</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ReplayOptions _options;
    private readonly IReadOnlyList<TraceRequest> _trace;
    private readonly EngineModel[] _engines;
    private readonly string[] _names;
    private readonly EndpointRegistry _registry = new();
    // The routing core's clock: it moves only when the event loop says so (forward, to each event's time),
    // so metric staleness and index ageing follow the trace, not the CPU.
    private readonly FakeTimeProvider _clock = new(Epoch);
    private readonly ReplayRouter _router;
    private readonly OracleRoutingPolicy _oracle;
    private readonly Dictionary<string, int> _podIndex = new(StringComparer.Ordinal);
    private readonly List<EngineEvent> _events = [];
    private ReplayResult _result = null!;
    private int _outstanding;

    private sealed class InFlight(RequestContext context, double arrival, int promptTokens, int outputTokens)
    {
        public int PromptTokens { get; } = promptTokens;

        public RequestContext Context { get; } = context;
        public double Arrival { get; } = arrival;
        public int OutputTokens { get; } = outputTokens;
        public double FirstToken { get; set; } = double.NaN;
    }

    /// <summary>Sets up the fleet and the router; throws <see cref="ArgumentException"/> for an unknown policy.</summary>
    public VirtualReplay(ReplayOptions options, IReadOnlyList<TraceRequest> trace)
    {
        _options = options;
        _trace = trace;
        var config = new EngineConfig
        {
            EmitTokenEvents = false,
            NumGpuBlocks = options.NumGpuBlocks,
            MaxModelLen = 131_072, // Mooncake's prompts reach 126k tokens: a long-context deployment
        };
        _engines = new EngineModel[options.Pods];
        _names = new string[options.Pods];
        var specs = new List<EndpointSpec>(options.Pods);
        var byName = new Dictionary<string, EngineModel>(StringComparer.Ordinal);
        for (int i = 0; i < options.Pods; i++)
        {
            _engines[i] = new EngineModel(config);
            _names[i] = $"pod-{i}";
            _podIndex[_names[i]] = i;
            byName[_names[i]] = _engines[i];
            specs.Add(new EndpointSpec(_names[i], $"10.0.0.{i + 1}:8000", options.Model, EngineKind.Vllm, null,
                new Dictionary<string, string>(), []));
        }

        _registry.Apply(specs);
        var random = new SeededRandomSource(options.Seed);
        _oracle = new OracleRoutingPolicy(byName, random);
        _router = ReplayRouter.Create(options.Policy, _registry, random, _clock, options.Model, _oracle);
    }

    /// <summary>Runs the whole trace; <paramref name="progress"/> gets the fraction of arrivals done.</summary>
    public ReplayResult Run(Action<double>? progress = null)
    {
        _result = new ReplayResult { Options = _options, Mode = "virtual", PodRequests = new int[_options.Pods] };
        double interval = _options.ScrapeIntervalSeconds;
        long tick = 0; // scrape number: scrape time = tick * interval, no drift from summing
        double nextTimeline = 0;
        int next = 0;
        bool useOracle = string.Equals(_options.Policy, OracleRoutingPolicy.PolicyName, StringComparison.OrdinalIgnoreCase);
        Scrape(0);
        tick = 1;
        double first = _trace.Count > 0 ? _trace[0].ArrivalSeconds / _options.TimeScale : 0;
        double lastFinish = first;
        int reportEvery = Math.Max(1, _trace.Count / 200);
        while (next < _trace.Count || _outstanding > 0)
        {
            double arrival = next < _trace.Count ? _trace[next].ArrivalSeconds / _options.TimeScale : double.PositiveInfinity;
            if (_outstanding == 0 && tick * interval < arrival)
            {
                // Idle fleet: nothing changes until the next arrival, so jump to the last scrape before it.
                tick = Math.Max(tick, (long)Math.Floor(arrival / interval));
            }

            double scrapeAt = tick * interval;
            double now = Math.Min(arrival, scrapeAt);
            _clock.SetUtcNow(At(now));
            lastFinish = Math.Max(lastFinish, AdvanceAll(now));
            if (scrapeAt <= arrival)
            {
                Scrape(scrapeAt);
                tick++;
                if (scrapeAt >= nextTimeline)
                {
                    _result.Timeline.Add((scrapeAt, [.. _engines.Select(e => e.RunningCount + e.WaitingCount)]));
                    nextTimeline = scrapeAt + TimelineStepSeconds;
                }

                continue;
            }

            var request = _trace[next++];
            int[] tokens = SyntheticPrompt.Tokens(request);
            if (useOracle)
            {
                _oracle.CurrentBlockHashes = PrefixHasher.BlockHashes(tokens, 16, PrefixHasher.ChainSeed(null));
            }

            var (context, target) = _router.Route(SyntheticPrompt.Text(request), request.OutputTokens);
            int pod = _podIndex[target.Name];
            _result.PodRequests[pod]++;
            _outstanding++;
            _engines[pod].Submit(new EngineRequest
            {
                PromptTokens = tokens,
                OutputTokens = request.OutputTokens,
                State = new InFlight(context, now, tokens.Length, request.OutputTokens),
            }, now);
            HandleEvents(_engines[pod]);
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
        progress?.Invoke(1);
        return _result;
    }

    /// <summary>Runs every engine up to <paramref name="time"/> and settles what finished; returns the last finish time.</summary>
    private double AdvanceAll(double time)
    {
        double last = double.NegativeInfinity;
        foreach (var engine in _engines)
        {
            engine.AdvanceTo(time);
            last = Math.Max(last, HandleEvents(engine));
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
                    if (state.OutputTokens > 1)
                    {
                        _result.TpotMs.Add((e2e - ttft) * 1000 / (state.OutputTokens - 1));
                    }

                    // Cached tokens at the request's first admission: recomputing after a preemption is not a hit.
                    _result.PrefixQueryTokens += state.PromptTokens;
                    _result.PrefixHitTokens += e.CachedTokens;
                    _router.Finish(state.Context);
                    _outstanding--;
                    last = Math.Max(last, e.Time);
                    break;
            }
        }

        return last;
    }

    /// <summary>The instant <paramref name="seconds"/> of virtual time after <see cref="Epoch"/>.</summary>
    private static DateTimeOffset At(double seconds) => Epoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));

    /// <summary>What the gateway's scraper would publish now: the engines' state at <paramref name="time"/>.</summary>
    private void Scrape(double time)
    {
        var at = At(time);
        for (int i = 0; i < _engines.Length; i++)
        {
            var engine = _engines[i];
            var counters = engine.Counters;
            _registry.OnScraped(_names[i], new EngineMetricsSnapshot
            {
                Running = engine.RunningCount,
                Waiting = engine.WaitingCount,
                KvCacheUsage = engine.KvCacheUsage,
                PrefixCacheQueries = counters.PrefixCacheQueries,
                PrefixCacheHits = counters.PrefixCacheHits,
                PrefixCacheHitRate = counters.PrefixCacheQueries == 0 ? 0 : (double)counters.PrefixCacheHits / counters.PrefixCacheQueries,
                PromptTokens = counters.PromptTokens,
                GenerationTokens = counters.GenerationTokens,
                Preemptions = counters.Preemptions,
            }, at);
        }
    }
}
