using AIBrix.Gateway.Core.OpenAI;

namespace AIBrix.Gateway.Core.Processing;

/// <summary>One routing decision, for the operator page.</summary>
/// <param name="At">When it was made.</param>
/// <param name="RequestId">The request.</param>
/// <param name="Model">Model or adapter asked for.</param>
/// <param name="Strategy">Strategy applied ("" when the route decided).</param>
/// <param name="Endpoint">The chosen endpoint's name, or null.</param>
/// <param name="Reason">Why, as the policy said it.</param>
/// <param name="Outcome">How the request ended, once it has.</param>
/// <param name="Status">HTTP status, once known.</param>
public sealed record RoutingDecision(
    DateTimeOffset At, string RequestId, string Model, string Strategy, string? Endpoint, string? Reason, RequestOutcome? Outcome, int Status);

/// <summary>
/// The last <see cref="Capacity"/> finished requests and their routing, kept in a ring for the
/// operator page. Writers take a short lock only when a request ends; readers copy.
/// </summary>
public sealed class RoutingDecisionLog(TimeProvider time, int capacity = 50) : IGatewayObserver
{
    private readonly RoutingDecision?[] _ring = new RoutingDecision?[capacity];
    private readonly Lock _lock = new();
    private long _written;

    /// <summary>How many decisions are kept.</summary>
    public int Capacity => _ring.Length;

    /// <inheritdoc/>
    public void OnRouted(RequestContext context, double decisionSeconds)
    {
    }

    /// <inheritdoc/>
    public void OnFinished(RequestContext context, RequestOutcome outcome, Usage? usage)
    {
        ArgumentNullException.ThrowIfNull(context);
        int status = context.Error is { } error ? Errors.ErrorMapping.Shape(error.Kind).StatusCode : context.ResponseStatus;
        string? reason = context.Error?.Message ?? context.Routing.Reason;
        if (context.Attempts > 1)
        {
            reason = $"{reason} (attempt {context.Attempts})";
        }

        var decision = new RoutingDecision(
            time.GetUtcNow(), context.RequestId, context.Model, context.Policy?.Name ?? "", context.Target?.Name, reason, outcome, status);
        lock (_lock)
        {
            _ring[_written++ % _ring.Length] = decision;
        }
    }

    /// <summary>The kept decisions, newest first.</summary>
    public IReadOnlyList<RoutingDecision> Recent()
    {
        lock (_lock)
        {
            int count = (int)Math.Min(_written, _ring.Length);
            var result = new RoutingDecision[count];
            for (int i = 0; i < count; i++)
            {
                result[i] = _ring[(_written - 1 - i) % _ring.Length]!;
            }

            return result;
        }
    }
}
