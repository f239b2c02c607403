using AIBrix.Gateway.Core.OpenAI;

namespace AIBrix.Gateway.Core.Errors;

/// <summary>How a <see cref="GatewayError"/> is told to the client, in the one place both hosts use.</summary>
/// <param name="StatusCode">HTTP status.</param>
/// <param name="Type">OpenAI error <c>type</c>.</param>
/// <param name="Code">OpenAI error <c>code</c>, or null.</param>
/// <param name="HeaderName">The <c>x-error-*</c> header naming the cause (AIBrix's names where AIBrix has one).</param>
public readonly record struct ErrorResponseShape(int StatusCode, string Type, string? Code, string HeaderName);

/// <summary>A refusal as sent to the client, whatever the protocol.</summary>
/// <param name="StatusCode">HTTP status.</param>
/// <param name="Headers">Response headers, in order.</param>
/// <param name="Body">The OpenAI error body (JSON).</param>
/// <param name="Cause">The <c>x-error-*</c> header's name: a short cause for logs and Envoy's details.</param>
public sealed record ErrorResponse(int StatusCode, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body, string Cause);

/// <summary>The single mapping from gateway errors to HTTP status, OpenAI error body and error header.</summary>
public static class ErrorMapping
{
    /// <summary>Status, type, code and header for an error kind.</summary>
    public static ErrorResponseShape Shape(GatewayErrorKind kind) => kind switch
    {
        GatewayErrorKind.InvalidRequestBody => new(400, "invalid_request_error", null, "x-error-request-body-processing"),
        GatewayErrorKind.MissingModel => new(400, "invalid_request_error", null, "x-error-no-model-in-request"),
        GatewayErrorKind.InvalidRoutingStrategy => new(400, "invalid_request_error", "invalid_routing_strategy", "x-error-invalid-routing-strategy"),
        GatewayErrorKind.InvalidExternalFilter => new(400, "invalid_request_error", "invalid_external_filter", "x-error-invalid-external-filter"),
        GatewayErrorKind.UnknownModel => new(404, "invalid_request_error", "model_not_found", "x-error-no-model-backends"),
        GatewayErrorKind.UnsupportedPath => new(501, "invalid_request_error", "unsupported_path", "x-error-unsupported-path"),
        GatewayErrorKind.MethodNotAllowed => new(405, "invalid_request_error", "method_not_allowed", "x-error-method-not-allowed"),
        GatewayErrorKind.BodyTooLarge => new(413, "invalid_request_error", "request_too_large", "x-error-request-body-processing"),
        GatewayErrorKind.NoReadyEndpoint => new(503, "service_unavailable_error", "no_ready_endpoint", "x-error-no-model-backends"),
        GatewayErrorKind.UpstreamUnavailable => new(502, "server_error", "upstream_unavailable", "x-error-routing"),
        GatewayErrorKind.InvalidApiKey => new(401, "invalid_request_error", "invalid_api_key", "x-error-invalid-api-key"),
        GatewayErrorKind.UnknownUser => new(401, "invalid_request_error", "invalid_user", "x-error-user"),
        GatewayErrorKind.RequestRateLimited => new(429, "requests", "rate_limit_exceeded", "x-error-rate-limit"),
        GatewayErrorKind.TokenRateLimited => new(429, "tokens", "rate_limit_exceeded", "x-error-rate-limit"),
        GatewayErrorKind.TokensExceedLimit => new(413, "invalid_request_error", "tokens_exceed_limit", "x-error-rate-limit"),
        GatewayErrorKind.RequestShed => new(429, "service_unavailable_error", "request_shed", "x-error-request-shed"),
        GatewayErrorKind.LimitsUnavailable => new(503, "service_unavailable_error", "limits_unavailable", "x-error-rate-limit"),
        _ => new(500, "server_error", "internal_error", "x-error-internal"),
    };

    /// <summary>
    /// The whole refusal every host sends: status, headers (<c>content-type</c>, the <c>x-error-*</c> header
    /// carrying the cause or <c>true</c>, <c>request-id</c> when known, then the error's own headers such
    /// as <c>retry-after</c>) and the OpenAI error body. Hosts only translate it to their protocol.
    /// </summary>
    public static ErrorResponse Response(GatewayError error, string? requestId)
    {
        ArgumentNullException.ThrowIfNull(error);
        var shape = Shape(error.Kind);
        var headers = new List<KeyValuePair<string, string>>(3 + error.Headers.Count)
        {
            new("content-type", "application/json"),
            new(shape.HeaderName, HeaderValues.Sanitize(error.Detail ?? "true")),
        };
        if (!string.IsNullOrEmpty(requestId))
        {
            headers.Add(new(GatewayHeaders.RequestId, requestId));
        }

        headers.AddRange(error.Headers);
        return new ErrorResponse(shape.StatusCode, headers, Body(error), shape.HeaderName);
    }

    /// <summary>The OpenAI error body: <c>{"error":{"message","type","param","code"}}</c>.</summary>
    public static byte[] Body(GatewayError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var shape = Shape(error.Kind);
        return OpenAIError.Serialize(error.Message, shape.Type, error.Param, shape.Code);
    }
}
