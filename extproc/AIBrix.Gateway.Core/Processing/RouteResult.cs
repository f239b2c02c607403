using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Errors;

namespace AIBrix.Gateway.Core.Processing;

/// <summary>The outcome of the request-body phase.</summary>
public readonly record struct RouteResult
{
    private RouteResult(GatewayError? error, Endpoint? target, string model)
    {
        Error = error;
        Target = target;
        Model = model;
    }

    /// <summary>Set when the request must be refused.</summary>
    public GatewayError? Error { get; }

    /// <summary>The chosen endpoint; null when no strategy applies and the route decides.</summary>
    public Endpoint? Target { get; }

    /// <summary>The model the request names.</summary>
    public string Model { get; }

    /// <summary>Refuse the request.</summary>
    public static RouteResult Fail(GatewayError error) => new(error, null, "");

    /// <summary>Send it to <paramref name="target"/>.</summary>
    public static RouteResult To(Endpoint target, string model) => new(null, target, model);

    /// <summary>No strategy: only set the model header and let the route pick.</summary>
    public static RouteResult ByRoute(string model) => new(null, null, model);
}
