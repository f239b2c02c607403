using System.Buffers;
using System.Diagnostics;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Errors;
using AIBrix.Gateway.Core.Limits;
using AIBrix.Gateway.Core.OpenAI;
using AIBrix.Gateway.Core.Routing;

namespace AIBrix.Gateway.Core.Processing;

/// <summary>The request-body phase: parse, select candidates, pick, and retry elsewhere when the pick failed.</summary>
public sealed partial class GatewayPipeline
{
    /// <summary>
    /// The request-body seam, after the endpoint picker's director: parse the whole body, resolve the
    /// model to ready endpoints, pick one and take a slot on it, admit the request against the limits,
    /// and add <c>include_usage</c> to a stream that did not ask for it. Returns the routing decision
    /// (target, request headers to set and remove, new body) or the error to refuse with. With
    /// <paramref name="shedding"/> (the ext_proc host, as GIE's endpoint picker), a sheddable request is refused with
    /// <see cref="GatewayErrorKind.RequestShed"/> before admission when every ready endpoint of its model is
    /// saturated; other requests are routed as usual.
    /// </summary>
    public ValueTask<RouteDecision> RouteAsync(RequestContext context, ReadOnlyMemory<byte> body, LoadShedding? shedding = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var route = OnRequestBody(context, body.Span, deferFeedback: true);
        if (route.Error is { } error)
        {
            return new(RouteDecision.Fail(error));
        }

        if (Shed(context, route, shedding) is { } shed)
        {
            context.PendingFeedback = null;
            return new(RouteDecision.Fail(Reject(context, shed)));
        }

        var admission = AdmitAsync(context, cancellationToken);
        return admission.IsCompletedSuccessfully
            ? new(Decide(context, route, body, admission.Result))
            : DecideAsync(context, route, body, admission);
    }

    /// <summary>The request-body seam over the body gathered with <see cref="AppendRequestBody"/>.</summary>
    public ValueTask<RouteDecision> RouteAsync(RequestContext context, LoadShedding? shedding = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return RouteAsync(context, context.BufferedBody, shedding, cancellationToken);
    }

    // GIE's saturation check, after the pick; refusing gives back the lease the pick took.
    private GatewayError? Shed(RequestContext context, RouteResult route, LoadShedding? shedding) =>
        route.Target is not null && shedding?.SheddableObjective(context.Headers) is { } objective
            && shedding.AllSaturated(_endpoints.Current.ReadyFor(context.Model))
            ? GatewayError.RequestShed(context.Model, objective)
            : null;

    private async ValueTask<RouteDecision> DecideAsync(RequestContext context, RouteResult route, ReadOnlyMemory<byte> body, ValueTask<GatewayError?> admission) =>
        Decide(context, route, body, await admission);

    private RouteDecision Decide(RequestContext context, RouteResult route, ReadOnlyMemory<byte> body, GatewayError? admissionError)
    {
        if (admissionError is not null)
        {
            context.PendingFeedback = null;
            return RouteDecision.Fail(admissionError);
        }

        if (!context.IsFinished)
        {
            CommitFeedback(context);   // a stream that ended while admission waited never reaches the pick
        }

        return RouteDecision.Routed(context, route, RewriteRequestBody(context, body.Span));
    }

    // The pick becomes routing state (prefix index, VTC counters, session pins) only once the request is admitted.
    private static void CommitFeedback(RequestContext context)
    {
        if (context.PendingFeedback is { } feedback && context.Target is { } target)
        {
            context.PendingFeedback = null;
            try
            {
                feedback.OnRouted(context.Routing, target);
            }
            catch (Exception) when (!Debugger.IsAttached)
            {
                // Feedback only steers later picks: a policy bug there must not fail an admitted request.
            }
        }
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
    /// in-flight slot on it. The policy learns of the pick at once (no admission follows here; RouteAsync tells it
    /// only once the request is admitted).
    /// </summary>
    public RouteResult OnRequestBody(RequestContext context, ReadOnlySpan<byte> body) => OnRequestBody(context, body, deferFeedback: false);

    private RouteResult OnRequestBody(RequestContext context, ReadOnlySpan<byte> body, bool deferFeedback)
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

            return context.Policy is { } policy ? Pick(context, policy, candidates, deferFeedback) : RouteByModel(context);
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

    private RouteResult Pick(RequestContext context, IRoutingPolicy policy, ReadOnlySpan<Endpoint> candidates, bool deferFeedback)
    {
        long started = Stopwatch.GetTimestamp();
        Endpoint target;
        context.Routing.CandidateCount = candidates.Length;
        try
        {
            target = policy.Pick(context.Routing, candidates);
            if (deferFeedback)
            {
                context.PendingFeedback = policy as IRoutingFeedback;
            }
            else
            {
                (policy as IRoutingFeedback)?.OnRouted(context.Routing, target);
            }
        }
        catch (Exception) when (!Debugger.IsAttached)
        {
            // A policy bug must cost one request, never the stream loop or the process.
            return RouteResult.Fail(Reject(context, GatewayError.Internal(context.RequestId)));
        }

        context.Target = target;
        context.Routing.TargetLoad = target.InFlight;
        context.Lease = target.Acquire(context.Routing.EstimatedPromptTokens + (context.Routing.MaxTokens ?? _policies.DefaultOutputTokens));
        context.RoutedTimestamp = Stopwatch.GetTimestamp();
        _observer.OnRouted(context, Stopwatch.GetElapsedTime(started, context.RoutedTimestamp).TotalSeconds);
        return RouteResult.To(target, context.Model);
    }
}
