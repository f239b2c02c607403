using AIBrix.Gateway.Core.Errors;
using AIBrix.Gateway.Core.Limits;
using AIBrix.Gateway.Core.OpenAI;

namespace AIBrix.Gateway.Core.Processing;

/// <summary>The request-headers phase: request id, path, strategy and the API key.</summary>
public sealed partial class GatewayPipeline
{
    /// <summary>
    /// The request-headers seam, the one call a host makes once the headers are copied into
    /// <see cref="RequestContext.Headers"/>: request id, path, strategy, then the API key
    /// (<c>auth.enforceInExtProc</c>). Returns the error to refuse the request with at once, else null.
    /// </summary>
    public ValueTask<GatewayError?> OnRequestHeadersAsync(RequestContext context, CancellationToken cancellationToken = default) =>
        OnRequestHeaders(context) is { } error ? new(error) : AuthenticateAsync(context, cancellationToken);

    /// <summary>
    /// Phase 1, request headers (already copied into <see cref="RequestContext.Headers"/>): request id,
    /// path, strategy validity. Returns an error to refuse the request at once.
    /// </summary>
    public GatewayError? OnRequestHeaders(RequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.Headers;
        context.RequestId = headers.TryGetValue(GatewayHeaders.EnvoyRequestId, out var id) && id.Length > 0
            ? id
            : Guid.NewGuid().ToString("N");
        context.Method = headers.GetValueOrDefault(":method", "");
        string rawPath = headers.GetValueOrDefault(":path", "");
        int query = rawPath.IndexOf('?', StringComparison.Ordinal);
        context.Path = query < 0 ? rawPath : rawPath[..query];
        context.Routing.User = headers.GetValueOrDefault(GatewayHeaders.User);

        if (!OpenAIApiPaths.TryGetApi(context.Path, out var api))
        {
            return Reject(context, GatewayError.UnsupportedPath(context.Path));
        }

        // Every routed API is a POST; Envoy sends :method always, so only a host that omits it skips the check.
        if (context.Method.Length > 0 && !string.Equals(context.Method, "POST", StringComparison.Ordinal))
        {
            return Reject(context, GatewayError.MethodNotAllowed(context.Method, context.Path));
        }

        context.Api = api;
        if (headers.TryGetValue(GatewayHeaders.RoutingStrategy, out var strategy) && !string.IsNullOrWhiteSpace(strategy))
        {
            if (!_policies.TryResolve(strategy.Trim(), out var policy, out var mixError))
            {
                return Reject(context, mixError is null
                    ? GatewayError.InvalidStrategy(strategy, _policies.KnownNames)
                    : GatewayError.InvalidStrategyMix(strategy, mixError));
            }

            context.Policy = policy;
        }
        else
        {
            context.Policy = _policies.Default;
        }

        return null;
    }

    /// <summary>
    /// Phase 1 (second step), with <c>auth.mode: apikey</c> and <c>auth.enforceInExtProc</c>: the bearer key must name a
    /// user, who then replaces whatever <c>user</c> header the client sent.
    /// </summary>
    public async ValueTask<GatewayError?> AuthenticateAsync(RequestContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_limiter is not { Auth: { Mode: AuthMode.ApiKey, EnforceInExtProc: true } } limiter)
        {
            return null;
        }

        var result = await limiter.AuthenticateAsync(context.Headers.GetValueOrDefault("authorization"), cancellationToken);
        if (result.Error is { } error)
        {
            return Reject(context, error);
        }

        context.AuthenticatedUser = result.User;
        context.Headers[GatewayHeaders.User] = result.User!;
        context.Routing.User = result.User;
        return null;
    }
}
