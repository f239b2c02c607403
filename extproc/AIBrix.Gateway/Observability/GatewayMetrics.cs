using System.Diagnostics;
using System.Globalization;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Errors;
using AIBrix.Gateway.Core.OpenAI;
using AIBrix.Gateway.Core.Processing;
using Prometheus;

namespace AIBrix.Gateway.Observability;

/// <summary>
/// The gateway's Prometheus metrics (prometheus-net), fed by the request path through
/// <see cref="IGatewayObserver"/> and by the endpoint registry at collection time. Each host owns
/// its own registry, so several gateways can run in one process (tests) without sharing series.
/// </summary>
internal sealed class GatewayMetrics : IGatewayObserver
{
    private const string UnknownModelLabel = "(unknown)";
    private readonly Counter _requests;
    private readonly Histogram _decision;
    private readonly Counter _fallbacks;
    private readonly Counter _tokens;
    private readonly Histogram _ttft;
    private readonly Counter _scrapeErrors;
    private readonly Gauge _inFlight;
    private readonly Gauge _ready;
    private readonly Gauge _metricsAge;
    private readonly Histogram.Child[] _messageByPhase;
    private readonly Counter _arrivals;
    private readonly Gauge _arrivalRate;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ArrivalMeter> _arrivalMeters = new(StringComparer.Ordinal);
    private readonly IEndpointSource _endpoints;
    private readonly TimeProvider _time;
    private readonly HashSet<(string, string)> _endpointLabels = [];
    private readonly Lock _collectLock = new();

    public GatewayMetrics(IEndpointSource endpoints, TimeProvider time)
    {
        _endpoints = endpoints;
        _time = time;
        Registry = Metrics.NewCustomRegistry();
        // The process's own figures (process_working_set_bytes, dotnet_total_memory_bytes, GC counts): what an
        // operator (and aibrix-bench soak) watches for a leak.
        DotNetStats.Register(Registry);
        var factory = Metrics.WithCustomRegistry(Registry);
        _requests = factory.CreateCounter(
            "aibrix_gateway_requests_total",
            "Requests seen by the gateway, by model, strategy, outcome (completed, rejected, aborted) and HTTP status.",
            new CounterConfiguration { LabelNames = ["model", "strategy", "outcome", "code"] });
        _decision = factory.CreateHistogram(
            "aibrix_gateway_routing_decision_seconds",
            "Time the routing policy took to pick an endpoint.",
            new HistogramConfiguration { LabelNames = ["strategy"], Buckets = Histogram.ExponentialBuckets(0.000_005, 2, 16) });
        _fallbacks = factory.CreateCounter(
            "aibrix_gateway_routing_fallbacks_total",
            "Decisions where the strategy could not apply its own rule and fell back (metrics-missing, metrics-stale, load-guard...).",
            new CounterConfiguration { LabelNames = ["strategy", "reason"] });
        _tokens = factory.CreateCounter(
            "aibrix_gateway_tokens_total",
            "Tokens reported by responses' usage, by model and kind (prompt, completion, cached).",
            new CounterConfiguration { LabelNames = ["model", "kind"] });
        _ttft = factory.CreateHistogram(
            "aibrix_gateway_time_to_first_token_seconds",
            "From the routing decision to the first generated token seen in the response, by model.",
            new HistogramConfiguration { LabelNames = ["model"], Buckets = Histogram.ExponentialBuckets(0.005, 2, 14) });
        _scrapeErrors = factory.CreateCounter(
            "aibrix_gateway_engine_scrape_errors_total",
            "Failed scrapes of engine /metrics, by endpoint.",
            new CounterConfiguration { LabelNames = ["endpoint"] });
        _inFlight = factory.CreateGauge(
            "aibrix_gateway_endpoint_in_flight",
            "Requests this gateway has in flight on each endpoint.",
            new GaugeConfiguration { LabelNames = ["endpoint", "model"] });
        _ready = factory.CreateGauge(
            "aibrix_gateway_endpoint_ready",
            "1 when the endpoint receives requests, 0 when it does not (not scraped yet, or failing).",
            new GaugeConfiguration { LabelNames = ["endpoint", "model"] });
        _metricsAge = factory.CreateGauge(
            "aibrix_gateway_endpoint_metrics_age_seconds",
            "Age of the latest successful engine metrics scrape; -1 when never scraped.",
            new GaugeConfiguration { LabelNames = ["endpoint", "model"] });
        var messages = factory.CreateHistogram(
            "aibrix_gateway_extproc_message_seconds",
            "Time from receiving an ext_proc message to having written its answer, by phase; Envoy's message_timeout bounds this (200 ms by default).",
            new HistogramConfiguration { LabelNames = ["phase"], Buckets = Histogram.ExponentialBuckets(0.000_001, 1.6, 30) });
        // Indexed by the oneof case's value (the proto field number), so the hot path does no lookup.
        var phases = Enum.GetValues<Envoy.Service.ExtProc.V3.ProcessingRequest.RequestOneofCase>();
        _arrivals = factory.CreateCounter(
            "aibrix_gateway_model_arrivals_total",
            "Requests routed to a pod of the model, counted on arrival (before the engine sees them): the demand a PodAutoscaler can read.",
            new CounterConfiguration { LabelNames = ["model"] });
        _arrivalRate = factory.CreateGauge(
            "aibrix_gateway_model_arrival_rate",
            "Requests a second routed to the model over the last 10 whole seconds: the arrival-rate metric of a PodAutoscaler (docs/autoscaling.md).",
            new GaugeConfiguration { LabelNames = ["model"] });
        _messageByPhase = new Histogram.Child[phases.Max(c => (int)c) + 1];
        foreach (var phase in phases)
        {
            _messageByPhase[(int)phase] = messages.WithLabels(PhaseLabel(phase));
        }
        Registry.AddBeforeCollectCallback(CollectEndpoints);
    }

    public CollectorRegistry Registry { get; }

    public void OnRouted(RequestContext context, double decisionSeconds)
    {
        if (context.Model.Length > 0)
        {
            _arrivals.WithLabels(context.Model).Inc();
            _arrivalMeters.GetOrAdd(context.Model, static _ => new ArrivalMeter()).Record(_time.GetUtcNow());
        }

        if (context.Policy is { } policy)
        {
            _decision.WithLabels(policy.Name).Observe(decisionSeconds);
            if (context.Routing.Fallback is { } reason)
            {
                _fallbacks.WithLabels(policy.Name, reason).Inc();
            }
        }
    }

    public void OnFinished(RequestContext context, RequestOutcome outcome, Usage? usage)
    {
        string model = context.Error?.Kind is GatewayErrorKind.UnknownModel or GatewayErrorKind.UnsupportedPath || context.Model.Length == 0
            ? UnknownModelLabel
            : context.Model;
        string strategy = context.Policy?.Name ?? (context.Error?.Kind == GatewayErrorKind.InvalidRoutingStrategy ? "(invalid)" : "");
        int code = context.Error is { } error ? ErrorMapping.Shape(error.Kind).StatusCode : context.ResponseStatus;
        _requests.WithLabels(model, strategy, Outcome(outcome), code.ToString(CultureInfo.InvariantCulture)).Inc();
        if (usage is { } u)
        {
            _tokens.WithLabels(model, "prompt").Inc(u.PromptTokens);
            _tokens.WithLabels(model, "completion").Inc(u.CompletionTokens);
            if (u.CachedTokens is { } cached)
            {
                _tokens.WithLabels(model, "cached").Inc(cached);
            }
        }

        if (context.FirstTokenTimestamp != 0 && context.RoutedTimestamp != 0)
        {
            _ttft.WithLabels(model).Observe(Stopwatch.GetElapsedTime(context.RoutedTimestamp, context.FirstTokenTimestamp).TotalSeconds);
        }
    }

    public void OnScrapeFailed(string endpoint) => _scrapeErrors.WithLabels(endpoint).Inc();

    /// <summary>Records how long one ext_proc message took to answer.</summary>
    public void OnExtProcMessage(Envoy.Service.ExtProc.V3.ProcessingRequest.RequestOneofCase phase, double seconds)
    {
        int index = (int)phase;
        if ((uint)index < (uint)_messageByPhase.Length)
        {
            _messageByPhase[index].Observe(seconds);
        }
    }

    private static string PhaseLabel(Envoy.Service.ExtProc.V3.ProcessingRequest.RequestOneofCase phase) => phase switch
    {
        Envoy.Service.ExtProc.V3.ProcessingRequest.RequestOneofCase.RequestHeaders => "request_headers",
        Envoy.Service.ExtProc.V3.ProcessingRequest.RequestOneofCase.RequestBody => "request_body",
        Envoy.Service.ExtProc.V3.ProcessingRequest.RequestOneofCase.RequestTrailers => "request_trailers",
        Envoy.Service.ExtProc.V3.ProcessingRequest.RequestOneofCase.ResponseHeaders => "response_headers",
        Envoy.Service.ExtProc.V3.ProcessingRequest.RequestOneofCase.ResponseBody => "response_body",
        Envoy.Service.ExtProc.V3.ProcessingRequest.RequestOneofCase.ResponseTrailers => "response_trailers",
        _ => "other",
    };

    private static string Outcome(RequestOutcome outcome) => outcome switch
    {
        RequestOutcome.Completed => "completed",
        RequestOutcome.Rejected => "rejected",
        _ => "aborted",
    };

    private void CollectEndpoints()
    {
        var snapshot = _endpoints.Current;
        var now = _time.GetUtcNow();
        lock (_collectLock)
        {
            var seen = new HashSet<(string, string)>();
            foreach (var endpoint in snapshot.All)
            {
                var labels = (endpoint.Name, endpoint.Model);
                seen.Add(labels);
                _inFlight.WithLabels(endpoint.Name, endpoint.Model).Set(endpoint.InFlight);
                _ready.WithLabels(endpoint.Name, endpoint.Model).Set(endpoint.IsReady ? 1 : 0);
                var last = endpoint.Health.LastSuccess;
                _metricsAge.WithLabels(endpoint.Name, endpoint.Model).Set(last is null ? -1 : (now - last.Value).TotalSeconds);
            }

            foreach (var gone in _endpointLabels.Where(l => !seen.Contains(l)).ToList())
            {
                _inFlight.RemoveLabelled(gone.Item1, gone.Item2);
                _ready.RemoveLabelled(gone.Item1, gone.Item2);
                _metricsAge.RemoveLabelled(gone.Item1, gone.Item2);
                _endpointLabels.Remove(gone);
            }

            _endpointLabels.UnionWith(seen);
            foreach (var (model, meter) in _arrivalMeters)
            {
                _arrivalRate.WithLabels(model).Set(meter.Rate(now));
            }
        }
    }
}
