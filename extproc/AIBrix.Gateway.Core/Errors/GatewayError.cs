namespace AIBrix.Gateway.Core.Errors;

/// <summary>
/// An expected failure, as a value: what went wrong, a message fit for the client, and the request
/// field at fault. The HTTP status, OpenAI error type and code come from <see cref="ErrorMapping"/>.
/// Client input is echoed bounded: each piece through <see cref="Echo"/> in the factories below, and the
/// whole message and param cut at <see cref="MaxMessageLength"/> whoever built the error, so a 100 KB header
/// never comes back as a 100 KB error body.
/// </summary>
/// <param name="Kind">The failure.</param>
/// <param name="Message">A user-facing message.</param>
/// <param name="Param">The request field at fault, if any.</param>
/// <param name="Detail">Value for the <c>x-error-*</c> header (the model, the strategy...); "true" when none.</param>
public sealed record GatewayError(GatewayErrorKind Kind, string Message, string? Param = null, string? Detail = null)
{
    /// <summary>Longest piece of client input (a strategy, a model, a path) quoted in a message.</summary>
    public const int MaxEchoLength = 128;

    /// <summary>Longest message (and param) sent, whatever it quotes.</summary>
    public const int MaxMessageLength = 1024;

    /// <summary>The user-facing message, at most <see cref="MaxMessageLength"/> chars.</summary>
    public string Message { get; init => field = Cut(value, MaxMessageLength); } = Cut(Message, MaxMessageLength);

    /// <summary>The request field at fault, at most <see cref="MaxMessageLength"/> chars.</summary>
    public string? Param { get; init => field = value is null ? null : Cut(value, MaxMessageLength); } = Param is null ? null : Cut(Param, MaxMessageLength);

    /// <summary>Extra response headers for the refusal (<c>retry-after</c>, <c>x-ratelimit-*</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Missing, unknown or revoked API key.</summary>
    public static GatewayError InvalidApiKey(string message) =>
        new(GatewayErrorKind.InvalidApiKey, message);

    /// <summary>The <c>user</c> header names no known user.</summary>
    public static GatewayError UnknownUser(string user) =>
        new(GatewayErrorKind.UnknownUser, $"user '{Echo(user)}' does not exist", GatewayHeaders.User, user);

    /// <summary>The limit store is down and the gateway fails closed.</summary>
    public static GatewayError LimitsUnavailable() =>
        new(GatewayErrorKind.LimitsUnavailable, "rate limits cannot be checked right now; retry later");

    /// <summary>Malformed or invalid request body.</summary>
    public static GatewayError InvalidBody(string message, string? param = null) =>
        new(GatewayErrorKind.InvalidRequestBody, message, param);

    /// <summary>The body is larger than the gateway accepts.</summary>
    public static GatewayError BodyTooLarge(int limitBytes) =>
        new(GatewayErrorKind.BodyTooLarge, $"request body exceeds the gateway's limit of {limitBytes} bytes");

    /// <summary>No model in the body.</summary>
    public static GatewayError MissingModel() =>
        new(GatewayErrorKind.MissingModel, "you must provide a model parameter", "model");

    /// <summary>Unknown routing strategy.</summary>
    public static GatewayError InvalidStrategy(string strategy, string known) =>
        new(GatewayErrorKind.InvalidRoutingStrategy, $"routing strategy '{Echo(strategy)}' is not supported; known strategies: {known}", GatewayHeaders.RoutingStrategy, strategy);

    /// <summary>Malformed routing strategy (a weighted mix that does not parse).</summary>
    public static GatewayError InvalidStrategyMix(string strategy, string reason) =>
        new(GatewayErrorKind.InvalidRoutingStrategy, $"routing strategy '{Echo(strategy)}' is invalid: {Echo(reason)}", GatewayHeaders.RoutingStrategy, strategy);

    /// <summary>Malformed <c>external-filter</c> label selector.</summary>
    public static GatewayError InvalidExternalFilter(string filter, string reason) =>
        new(GatewayErrorKind.InvalidExternalFilter, $"external-filter '{Echo(filter)}' is not a valid label selector: {Echo(reason)}", GatewayHeaders.ExternalFilter, filter);

    /// <summary>Ready endpoints exist but none matches the <c>external-filter</c>.</summary>
    public static GatewayError NoEndpointMatchesFilter(string model, string filter) =>
        new(GatewayErrorKind.NoReadyEndpoint, $"no ready endpoint for model `{Echo(model)}` matches external-filter '{Echo(filter)}'", GatewayHeaders.ExternalFilter, model);

    /// <summary>The proxy's subset hint left no ready endpoint (endpoint-picker protocol: 503).</summary>
    public static GatewayError NoEndpointInSubset(string model, int subsetSize) =>
        new(GatewayErrorKind.NoReadyEndpoint, $"none of the {subsetSize} endpoint(s) the proxy allowed is a ready endpoint of model `{Echo(model)}`",
            GatewayHeaders.DestinationEndpointSubset, model);

    /// <summary>A sheddable request while every endpoint of the model is saturated.</summary>
    public static GatewayError RequestShed(string model, string objective) =>
        new(GatewayErrorKind.RequestShed, $"every endpoint of model `{Echo(model)}` is saturated and objective '{Echo(objective)}' is sheddable; retry later",
            GatewayHeaders.InferenceObjective, model);

    /// <summary>Unknown model.</summary>
    public static GatewayError UnknownModel(string model) =>
        new(GatewayErrorKind.UnknownModel, $"The model `{Echo(model)}` does not exist.", "model", model);

    /// <summary>Unsupported path.</summary>
    public static GatewayError UnsupportedPath(string path) =>
        new(GatewayErrorKind.UnsupportedPath, $"path '{Echo(path)}' is not supported by the gateway; supported: /v1/chat/completions, /v1/completions, /v1/embeddings, /v1/responses", null, path);

    /// <summary>A routed API path asked with another method than POST; <c>Allow</c> says which one works.</summary>
    public static GatewayError MethodNotAllowed(string method, string path) =>
        new(GatewayErrorKind.MethodNotAllowed, $"method '{Echo(method)}' is not allowed on {Echo(path)}; use POST", null, method)
        {
            Headers = [new("allow", "POST")],
        };

    /// <summary>No ready endpoint.</summary>
    public static GatewayError NoReadyEndpoint(string model) =>
        new(GatewayErrorKind.NoReadyEndpoint, $"no ready endpoint for model `{Echo(model)}`; retry later", "model", model);

    /// <summary>The chosen endpoints all failed before answering.</summary>
    public static GatewayError UpstreamUnavailable(string model, int attempts) =>
        new(GatewayErrorKind.UpstreamUnavailable, $"no endpoint for model `{Echo(model)}` answered after {attempts} attempt(s); retry later", null, model);

    /// <summary>Internal failure; the message must not leak internals.</summary>
    public static GatewayError Internal(string requestId) =>
        new(GatewayErrorKind.Internal, $"the gateway failed to process the request (request id {requestId})");

    /// <summary>
    /// Client input as quoted in a message: at most <see cref="MaxEchoLength"/> chars, the cut marked with
    /// the full length so the client can tell what happened.
    /// </summary>
    public static string Echo(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length <= MaxEchoLength ? value : $"{value.AsSpan(0, MaxEchoLength)}... ({value.Length} chars)";
    }

    private static string Cut(string value, int max)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length <= max ? value : $"{value.AsSpan(0, max - 32)}... ({value.Length} chars)";
    }
}
