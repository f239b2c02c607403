using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Errors;

namespace AIBrix.Gateway.Core.Processing;

/// <summary>
/// Passive health and retries: an endpoint that fails before answering is counted against, ejected
/// after enough failures, and the request tried on another one.
/// </summary>
public sealed partial class GatewayPipeline
{
    /// <summary>
    /// For a host that proxies itself: the endpoint it sent the request to failed before answering.
    /// Picks another (see <see cref="Reroute"/>) and returns the decision for it; the body stays the
    /// one of the first decision.
    /// </summary>
    public RouteDecision Retry(RequestContext context)
    {
        var route = Reroute(context);
        return route.Error is { } error ? RouteDecision.Fail(error) : RouteDecision.Routed(context, route, null);
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
                : Pick(context, policy, candidates, deferFeedback: false);
        }
        finally
        {
            CandidateSelection.Return(ref rented);
        }
    }

    /// <summary>The current endpoint answered: its passive-health failure streak ends.</summary>
    public void OnUpstreamAnswered(RequestContext context) => context?.Target?.RecordUpstreamSuccess();

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
}
