namespace AIBrix.Gateway.Core.Errors;

/// <summary>Every way a request can be refused by the gateway. <see cref="ErrorMapping"/> gives each its status.</summary>
public enum GatewayErrorKind
{
    /// <summary>The body is not valid JSON, or a field has the wrong type or value (400).</summary>
    InvalidRequestBody,

    /// <summary>The body names no model (400).</summary>
    MissingModel,

    /// <summary>The <c>routing-strategy</c> header names no known strategy (400).</summary>
    InvalidRoutingStrategy,

    /// <summary>The <c>external-filter</c> header is not a valid label selector (400).</summary>
    InvalidExternalFilter,

    /// <summary>No endpoint serves the model or adapter (404, as OpenAI and vLLM answer).</summary>
    UnknownModel,

    /// <summary>The path is not an API this gateway routes (501).</summary>
    UnsupportedPath,

    /// <summary>A routed API path asked with a method other than POST (405, with <c>Allow: POST</c>).</summary>
    MethodNotAllowed,

    /// <summary>The body is larger than the gateway accepts (413).</summary>
    BodyTooLarge,

    /// <summary>The model is known but none of its endpoints is ready (503).</summary>
    NoReadyEndpoint,

    /// <summary>Every endpoint tried failed before answering (502; standalone mode, where the gateway is the proxy).</summary>
    UpstreamUnavailable,

    /// <summary>A bug or an unexpected failure inside the gateway (500).</summary>
    Internal,

    /// <summary>The API key is missing, unknown or revoked (401).</summary>
    InvalidApiKey,

    /// <summary>The <c>user</c> header names a user the gateway does not know (401).</summary>
    UnknownUser,

    /// <summary>A request limit (per-user RPM or per-model RPS) refused the request (429, type <c>requests</c>).</summary>
    RequestRateLimited,

    /// <summary>The per-user token limit (TPM) refused the request (429, type <c>tokens</c>).</summary>
    TokenRateLimited,

    /// <summary>
    /// The request's token reservation is larger than the user's whole TPM limit, so no wait would
    /// admit it (413, not 429: clients retry 429s; this one must be made smaller instead).
    /// </summary>
    TokensExceedLimit,

    /// <summary>The limit store is unreachable and <c>limits.failureMode</c> is <c>closed</c> (503).</summary>
    LimitsUnavailable,

    /// <summary>A sheddable request refused because every endpoint of its model is saturated (429, as GIE's endpoint picker answers).</summary>
    RequestShed,
}
