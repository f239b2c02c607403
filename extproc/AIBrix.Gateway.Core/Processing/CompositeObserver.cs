using AIBrix.Gateway.Core.OpenAI;

namespace AIBrix.Gateway.Core.Processing;

/// <summary>Fans request events out to several observers, in order.</summary>
public sealed class CompositeObserver(params IGatewayObserver[] observers) : IGatewayObserver
{
    /// <inheritdoc/>
    public void OnRouted(RequestContext context, double decisionSeconds)
    {
        foreach (var observer in observers)
        {
            observer.OnRouted(context, decisionSeconds);
        }
    }

    /// <inheritdoc/>
    public void OnFinished(RequestContext context, RequestOutcome outcome, Usage? usage)
    {
        foreach (var observer in observers)
        {
            observer.OnFinished(context, outcome, usage);
        }
    }
}
