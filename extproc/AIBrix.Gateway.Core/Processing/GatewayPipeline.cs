using System.Buffers;
using System.Diagnostics;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Errors;
using AIBrix.Gateway.Core.Limits;
using AIBrix.Gateway.Core.OpenAI;
using AIBrix.Gateway.Core.Routing;

namespace AIBrix.Gateway.Core.Processing;

/// <summary>
/// The request path shared by both hosts (ext_proc and standalone): read the headers, parse the body,
/// resolve the model to ready endpoints, apply the strategy, then account the response. Each phase
/// is one method; the host translates its protocol to these calls and the results back.
/// Thread-safe: one instance serves every request; per-request state lives in <see cref="RequestContext"/>.
/// </summary>
public sealed partial class GatewayPipeline
{
    private readonly IEndpointSource _endpoints;
    private readonly RoutingPolicyRegistry _policies;
    private readonly IGatewayObserver _observer;
    private readonly GatewayPipelineOptions _options;
    private readonly TimeProvider _time;
    private readonly long _coolDownTicks;
    private readonly RequestLimiter? _limiter;

    /// <summary>Creates the pipeline over an endpoint source and the routing policies.</summary>
    public GatewayPipeline(
        IEndpointSource endpoints,
        RoutingPolicyRegistry policies,
        IGatewayObserver? observer = null,
        GatewayPipelineOptions? options = null,
        TimeProvider? time = null,
        RequestLimiter? limiter = null)
    {
        _endpoints = endpoints;
        _policies = policies;
        _observer = observer ?? NullGatewayObserver.Instance;
        _options = options ?? new GatewayPipelineOptions();
        _time = time ?? TimeProvider.System;
        _coolDownTicks = (long)(_options.PassiveHealth.CoolDown.TotalSeconds * _time.TimestampFrequency);
        _limiter = limiter;
    }

    /// <summary>API keys and limits, or null when the host runs without them.</summary>
    public RequestLimiter? Limiter => _limiter;

    /// <summary>The limits in force.</summary>
    public GatewayPipelineOptions Options => _options;

    /// <summary>Starts a request. Dispose the context when the request's stream ends.</summary>
    public RequestContext Begin() => new(this, Stopwatch.GetTimestamp());

    /// <summary>
    /// Phase 1, request headers (already copied into <see cref="RequestContext.Headers"/>): request id,
    /// path, strategy validity. Returns an error to refuse the request at once.
    /// </summary>
    public GatewayError? OnRequestHeaders(RequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.Headers;
        context.RequestId = headers.TryGetValue(GatewayHeaders.EnvoyRequestId, out var id) && id.Length > 0
            ? id
            : Guid.NewGuid().ToString("N");
        context.Method = headers.GetValueOrDefault(":method", "");
        string rawPath = headers.GetValueOrDefault(":path", "");
        int query = rawPath.IndexOf('?', StringComparison.Ordinal);
        context.Path = query < 0 ? rawPath : rawPath[..query];
        context.Routing.RequestId = context.RequestId;
        context.Routing.Headers = headers;
        context.Routing.User = headers.GetValueOrDefault(GatewayHeaders.User);

        if (!OpenAIApiPaths.TryGetApi(context.Path, out var api))
        {
            return Reject(context, GatewayError.UnsupportedPath(context.Path));
        }

        context.Api = api;
        if (headers.TryGetValue(GatewayHeaders.RoutingStrategy, out var strategy) && !string.IsNullOrWhiteSpace(strategy))
        {
            if (!_policies.TryResolve(strategy.Trim(), out var policy, out var mixError))
            {
                return Reject(context, mixError is null
                    ? GatewayError.InvalidStrategy(strategy, _policies.KnownNames)
                    : GatewayError.InvalidStrategyMix(strategy, mixError));
            }

            context.Policy = policy;
        }
        else
        {
            context.Policy = _policies.Default;
        }

        return null;
    }

    /// <summary>
    /// Appends a chunk of a request body that arrives in pieces; returns an error when the body grows
    /// past <see cref="GatewayPipelineOptions.MaxRequestBodyBytes"/>.
    /// </summary>
    public GatewayError? AppendRequestBody(RequestContext context, ReadOnlySpan<byte> chunk)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.HasBufferedBody && context.BodyBuffer.WrittenCount + (long)chunk.Length > _options.MaxRequestBodyBytes
            || chunk.Length > _options.MaxRequestBodyBytes)
        {
            return Reject(context, GatewayError.BodyTooLarge(_options.MaxRequestBodyBytes));
        }

        context.BodyBuffer.Write(chunk);
        return null;
    }

    /// <summary>Phase 2 over the body accumulated with <see cref="AppendRequestBody"/>.</summary>
    public RouteResult OnRequestBody(RequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return OnRequestBody(context, context.HasBufferedBody ? context.BodyBuffer.WrittenSpan : default);
    }

    /// <summary>
    /// Phase 2, the whole request body: parse it, resolve the model, pick the endpoint and take an
    /// in-flight slot on it.
    /// </summary>
    public RouteResult OnRequestBody(RequestContext context, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Api is not { } api)
        {
            return RouteResult.Fail(context.Error ?? Reject(context, GatewayError.UnsupportedPath(context.Path)));
        }

        if (body.Length > _options.MaxRequestBodyBytes)
        {
            return RouteResult.Fail(Reject(context, GatewayError.BodyTooLarge(_options.MaxRequestBodyBytes)));
        }

        var parsed = OpenAIRequestParser.Parse(api, body);
        if (parsed.Error is { } parseError)
        {
            var error = parseError.Kind == RequestParseErrorKind.MissingModel
                ? GatewayError.MissingModel()
                : GatewayError.InvalidBody(parseError.Message, parseError.Param);
            return RouteResult.Fail(Reject(context, error));
        }

        var request = parsed.Request!;
        context.Request = request;
        context.Model = request.Model;
        context.Routing.Model = request.Model;
        context.Routing.Request = request;
        context.Routing.User ??= request.User;

        var snapshot = _endpoints.Current;
        Endpoint[]? rented = null;
        try
        {
            if (CandidateSelection.Select(snapshot, request.Model, context.Headers, out var selected, out rented, context.EndpointSubset) is { } filterError)
            {
                return RouteResult.Fail(Reject(context, filterError));
            }

            var candidates = WithoutEjected(selected, null);
            if (candidates.IsEmpty)
            {
                return RouteResult.Fail(Reject(context, snapshot.IsKnownModel(request.Model)
                    ? GatewayError.NoReadyEndpoint(request.Model)
                    : GatewayError.UnknownModel(request.Model)));
            }

            return context.Policy is { } policy ? Pick(context, policy, candidates) : RouteByModel(context);
        }
        finally
        {
            CandidateSelection.Return(ref rented);
        }
    }

    private RouteResult RouteByModel(RequestContext context)
    {
        context.RoutedTimestamp = Stopwatch.GetTimestamp();
        _observer.OnRouted(context, 0);
        return RouteResult.ByRoute(context.Model);
    }

    /// <summary>
    /// The current endpoint failed before answering (refused, reset, timed out): count it against the
    /// endpoint's passive health, give back its slot and pick another ready endpoint not yet tried.
    /// Fails with <see cref="GatewayErrorKind.UpstreamUnavailable"/> when none is left or the
    /// retries (<see cref="PassiveHealthOptions.Retries"/>) are used up.
    /// </summary>
    public RouteResult Reroute(RequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Target is not { } failed || context.Policy is not { } policy || context.IsFinished)
        {
            return RouteResult.Fail(context.Error ?? GatewayError.Internal(context.RequestId));
        }

        var health = _options.PassiveHealth;
        failed.RecordUpstreamFailure(_time.GetTimestamp(), _coolDownTicks, health.EjectAfterFailures);
        context.Lease?.Dispose();
        context.Lease = null;
        (context.FailedEndpoints ??= []).Add(failed);
        context.Target = null;
        context.Routing.ResetDecision();
        Endpoint[]? rented = null;
        try
        {
            // The same candidates as the first pick (adapter, external-filter), minus the ones tried.
            var candidates = context.FailedEndpoints.Count > health.Retries
                || CandidateSelection.Select(_endpoints.Current, context.Model, context.Headers, out var selected, out rented, context.EndpointSubset) is not null
                ? ReadOnlySpan<Endpoint>.Empty
                : WithoutEjected(selected, context.FailedEndpoints);
            return candidates.IsEmpty
                ? RouteResult.Fail(Reject(context, GatewayError.UpstreamUnavailable(context.Model, context.FailedEndpoints.Count)))
                : Pick(context, policy, candidates);
        }
        finally
        {
            CandidateSelection.Return(ref rented);
        }
    }

    /// <summary>The current endpoint answered: its passive-health failure streak ends.</summary>
    public void OnUpstreamAnswered(RequestContext context) => context?.Target?.RecordUpstreamSuccess();

    private RouteResult Pick(RequestContext context, IRoutingPolicy policy, ReadOnlySpan<Endpoint> candidates)
    {
        long started = Stopwatch.GetTimestamp();
        Endpoint target;
        try
        {
            target = policy.Pick(context.Routing, candidates);
            (policy as IRoutingFeedback)?.OnRouted(context.Routing, target);
        }
        catch (Exception) when (!Debugger.IsAttached)
        {
            // A policy bug must cost one request, never the stream loop or the process.
            return RouteResult.Fail(Reject(context, GatewayError.Internal(context.RequestId)));
        }

        context.Target = target;
        context.Lease = target.Acquire(context.Routing.EstimatedPromptTokens + (context.Routing.MaxTokens ?? _policies.DefaultOutputTokens));
        context.RoutedTimestamp = Stopwatch.GetTimestamp();
        _observer.OnRouted(context, Stopwatch.GetElapsedTime(started, context.RoutedTimestamp).TotalSeconds);
        return RouteResult.To(target, context.Model);
    }

    /// <summary>
    /// Drops ejected and already-failed endpoints. Allocates only when one must go (rare). When every
    /// candidate is ejected, all are kept: like Envoy's panic threshold, trying a doubtful pod beats
    /// refusing every request.
    /// </summary>
    private ReadOnlySpan<Endpoint> WithoutEjected(ReadOnlySpan<Endpoint> candidates, List<Endpoint>? failed)
    {
        long now = _time.GetTimestamp();
        int keep = 0;
        foreach (var endpoint in candidates)
        {
            if (!endpoint.IsEjected(now) && failed?.Contains(endpoint) != true)
            {
                keep++;
            }
        }

        if (keep == candidates.Length)
        {
            return candidates;
        }

        if (keep == 0)
        {
            if (failed is null)
            {
                return candidates;
            }

            var untried = new List<Endpoint>(candidates.Length);
            foreach (var endpoint in candidates)
            {
                if (!failed.Contains(endpoint))
                {
                    untried.Add(endpoint);
                }
            }

            return untried.ToArray();
        }

        var kept = new Endpoint[keep];
        int i = 0;
        foreach (var endpoint in candidates)
        {
            if (!endpoint.IsEjected(now) && failed?.Contains(endpoint) != true)
            {
                kept[i++] = endpoint;
            }
        }

        return kept;
    }

    /// <summary>
    /// Phase 3, response headers: records the upstream status and prepares usage reading. Returns the
    /// headers to add to the response.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> OnResponseHeaders(RequestContext context, int status, string? contentType)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.ResponseStatus = status;
        context.UsageReader = ResponseUsageReader.ForContentType(contentType);
        if (status >= 500)
        {
            context.Target?.RecordError();
        }

        var headers = new List<KeyValuePair<string, string>>(3) { new(GatewayHeaders.RequestId, context.RequestId) };
        if (context.Target is { } target)
        {
            headers.Add(new(GatewayHeaders.TargetPod, target.Address));
        }

        if (context.Policy is { } policy)
        {
            headers.Add(new(GatewayHeaders.RoutingStrategy, policy.Name));
        }

        if (context.Routing.Fallback is { } fallback)
        {
            headers.Add(new(GatewayHeaders.RoutingFallback, fallback));
        }

        headers.AddRange(context.Routing.ResponseHeaders);

        if (context.Reservation is { } reservation)
        {
            RateLimitHeaders.Add(headers, reservation.Decision);
        }

        return headers;
    }

    /// <summary>Phase 4, one chunk of the response body; <paramref name="endOfStream"/> settles the request.</summary>
    public void OnResponseBody(RequestContext context, ReadOnlySpan<byte> chunk, bool endOfStream)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!chunk.IsEmpty)
        {
            long now = Stopwatch.GetTimestamp();
            if (context.FirstByteTimestamp == 0)
            {
                context.FirstByteTimestamp = now;
            }

            var reader = context.UsageReader ??= ResponseUsageReader.ForContentType(null);
            reader.Append(chunk);
            if (context.FirstTokenTimestamp == 0 && reader.FirstTokenSeen)
            {
                context.FirstTokenTimestamp = now;
            }
        }

        if (endOfStream)
        {
            Complete(context);
        }
    }

    /// <summary>The response finished: release the slot and report usage.</summary>
    public void Complete(RequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.TryFinish())
        {
            return;
        }

        context.Lease?.Dispose();
        context.UsageReader?.Complete();
        Settle(context, RequestOutcome.Completed);
        _observer.OnFinished(context, RequestOutcome.Completed, context.UsageReader?.Usage);
        context.UsageReader?.Dispose();
    }

    internal void Abandon(RequestContext context)
    {
        if (!context.TryFinish())
        {
            return;
        }

        // Not counted against the endpoint: a client that goes away is not the pod's failure.
        context.Lease?.Dispose();
        Settle(context, RequestOutcome.Aborted);
        _observer.OnFinished(context, RequestOutcome.Aborted, context.UsageReader?.Usage);
        context.UsageReader?.Dispose();
    }

    private GatewayError Reject(RequestContext context, GatewayError error)
    {
        context.Error = error;
        if (context.TryFinish())
        {
            context.Lease?.Dispose();
            Settle(context, RequestOutcome.Rejected);
            _observer.OnFinished(context, RequestOutcome.Rejected, null);
        }

        return error;
    }
}
