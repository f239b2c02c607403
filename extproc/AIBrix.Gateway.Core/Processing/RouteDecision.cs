using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Errors;

namespace AIBrix.Gateway.Core.Processing;

/// <summary>
/// What the request-body seam (<see cref="GatewayPipeline.RouteAsync(RequestContext, ReadOnlyMemory{byte}, LoadShedding?, CancellationToken)"/>)
/// decided: refuse with <see cref="Error"/>, or send the request on with these header changes (and this
/// body, when it changed). ext_proc turns it into mutations and metadata, the standalone proxy into
/// its upstream request.
/// </summary>
public readonly record struct RouteDecision
{
    private RouteDecision(GatewayError? error, Endpoint? target, string model, IReadOnlyList<KeyValuePair<string, string>> setHeaders, IReadOnlyList<string> removeHeaders, ReadOnlyMemory<byte>? body)
    {
        Error = error;
        Target = target;
        Model = model;
        SetHeaders = setHeaders;
        RemoveHeaders = removeHeaders;
        Body = body;
    }

    /// <summary>Set when the request must be refused (map it with <see cref="ErrorMapping.Response"/>).</summary>
    public GatewayError? Error { get; }

    /// <summary>The chosen endpoint; null when no strategy applies and the route decides by the model header.</summary>
    public Endpoint? Target { get; }

    /// <summary>The model the request names.</summary>
    public string Model { get; }

    /// <summary>Request headers to set (overwriting) on the upstream request.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> SetHeaders { get; }

    /// <summary>Request headers to remove from the upstream request.</summary>
    public IReadOnlyList<string> RemoveHeaders { get; }

    /// <summary>The body to send upstream when the gateway changed it; null to send the original.</summary>
    public ReadOnlyMemory<byte>? Body { get; }

    /// <summary>Refuse the request.</summary>
    public static RouteDecision Fail(GatewayError error) => new(error, null, "", [], [], null);

    /// <summary>
    /// The decision for a routed request: where it goes (<c>target-pod</c> and the endpoint-picker header),
    /// which strategy chose (or, without one, the <c>model</c> header a per-model route matches), and the
    /// user an API key proved, whose key is then removed so engines never see it.
    /// </summary>
    internal static RouteDecision Routed(RequestContext context, RouteResult route, byte[]? body)
    {
        var set = new List<KeyValuePair<string, string>>(4);
        string[] remove = [];
        if (route.Target is { } target)
        {
            set.Add(new(GatewayHeaders.TargetPod, target.Address));
            set.Add(new(GatewayHeaders.DestinationEndpoint, target.Address));
        }

        if (context.AuthenticatedUser is { } user)
        {
            set.Add(new(GatewayHeaders.User, user));
            remove = UserHeaders.Removed;
        }

        set.Add(context.Policy is { } policy
            ? new(GatewayHeaders.RoutingStrategy, policy.Name)
            : new(GatewayHeaders.Model, route.Model));
        return new(null, route.Target, route.Model, set, remove, body is null ? (ReadOnlyMemory<byte>?)null : body);
    }
}

/// <summary>The upstream header changes for a user an API key proved; ext_authz and ext_proc send the same.</summary>
public static class UserHeaders
{
    /// <summary>Removed upstream once the key proved a user: the gateway's key, engines never see it.</summary>
    public static readonly string[] Removed = [GatewayHeaders.Authorization];

    /// <summary>The headers set upstream: the key's user replaces whatever <c>user</c> the client sent.</summary>
    public static KeyValuePair<string, string>[] Set(string user) => [new(GatewayHeaders.User, user)];
}
