using AIBrix.Gateway.Core.Errors;
using AIBrix.Gateway.Core.OpenAI;

namespace AIBrix.Gateway.Core.Processing;

/// <summary>How a request ended, for metrics and logs.</summary>
public enum RequestOutcome
{
    /// <summary>The response finished (any upstream status).</summary>
    Completed,

    /// <summary>The gateway refused it with an error response.</summary>
    Rejected,

    /// <summary>The stream ended before the response did (client gone, reset, broken stream).</summary>
    Aborted,
}

/// <summary>
/// Receives the events of the request path. The hosts implement it with their metrics library, so
/// the core stays free of one. Calls come from the hot path: implementations must be cheap and must not throw.
/// </summary>
public interface IGatewayObserver
{
    /// <summary>A request was routed; <paramref name="decisionSeconds"/> is the time spent deciding.</summary>
    void OnRouted(RequestContext context, double decisionSeconds);

    /// <summary>A request ended; <paramref name="usage"/> is what the response reported, if anything.</summary>
    void OnFinished(RequestContext context, RequestOutcome outcome, Usage? usage);
}

/// <summary>An observer that ignores everything.</summary>
public sealed class NullGatewayObserver : IGatewayObserver
{
    /// <summary>The single instance.</summary>
    public static NullGatewayObserver Instance { get; } = new();

    /// <inheritdoc/>
    public void OnRouted(RequestContext context, double decisionSeconds)
    {
    }

    /// <inheritdoc/>
    public void OnFinished(RequestContext context, RequestOutcome outcome, Usage? usage)
    {
    }
}
