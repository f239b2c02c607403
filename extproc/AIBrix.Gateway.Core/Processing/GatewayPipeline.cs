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
            // A refusal is an immediate answer from the gateway: whatever endpoint was picked never saw the request.
            context.Lease?.Refuse();
            Settle(context, RequestOutcome.Rejected);
            _observer.OnFinished(context, RequestOutcome.Rejected, null);
        }

        return error;
    }
}
