using AIBrix.Gateway.Core;
using AIBrix.Gateway.Core.Errors;
using AIBrix.Gateway.Core.Limits;
using AIBrix.Gateway.Core.Processing;
using Envoy.Config.Core.V3;
using Envoy.Service.Auth.V3;
using Envoy.Type.V3;
using Google.Protobuf;
using Grpc.Core;
using RpcStatus = Google.Rpc.Status;

namespace AIBrix.Gateway.ExtProc;

/// <summary>
/// Envoy's ext_authz <c>Authorization.Check</c>, on the ext_proc gRPC port. With <c>auth.mode: apikey</c>
/// the bearer key must name a user: allowed requests get the <c>user</c> header overwritten with it,
/// and the key removed (engines never see users' keys), refused ones a 401 with an OpenAI error body. With <c>auth.mode: none</c> every request is allowed unchanged.
/// </summary>
internal sealed class ExtAuthzService(RequestLimiter limiter) : Authorization.AuthorizationBase
{
    // google.rpc.Code values Envoy reads: 0 allows, 16 (UNAUTHENTICATED) / 14 (UNAVAILABLE) deny.
    private const int Ok = 0;
    private const int Unauthenticated = 16;
    private const int Unavailable = 14;

    public override async Task<CheckResponse> Check(CheckRequest request, ServerCallContext context)
    {
        if (limiter.Auth.Mode == AuthMode.None)
        {
            return new CheckResponse { Status = new RpcStatus { Code = Ok }, OkResponse = new OkHttpResponse() };
        }

        var http = request.Attributes?.Request?.Http;
        string? authorization = http?.Headers.GetValueOrDefault("authorization");
        if (authorization is null && http?.HeaderMap is { } map)
        {
            // encode_raw_headers: the headers come as a list with raw values instead of the map.
            authorization = map.Headers.FirstOrDefault(h => h.Key == "authorization") is { } h
                ? (h.RawValue.IsEmpty ? h.Value : h.RawValue.ToStringUtf8())
                : null;
        }

        var result = await limiter.AuthenticateAsync(authorization, context.CancellationToken);
        if (result.Error is { } error)
        {
            return Denied(error, http?.Id ?? "");
        }

        var ok = new OkHttpResponse();
        foreach (var (key, value) in UserHeaders.Set(result.User!))
        {
            ok.Headers.Add(ExtProcResponses.Header(key, value));
        }

        ok.HeadersToRemove.Add(UserHeaders.Removed); // the gateway's key: engines never see it
        return new CheckResponse { Status = new RpcStatus { Code = Ok }, OkResponse = ok };
    }

    /// <summary>The refusal, as <see cref="ErrorMapping.Response"/> shapes it for every host.</summary>
    private static CheckResponse Denied(GatewayError error, string requestId)
    {
        var refusal = ErrorMapping.Response(error, requestId);
        var denied = new DeniedHttpResponse
        {
            Status = new HttpStatus { Code = (Envoy.Type.V3.StatusCode)refusal.StatusCode },
            Body = System.Text.Encoding.UTF8.GetString(refusal.Body),
        };
        foreach (var (key, value) in refusal.Headers)
        {
            denied.Headers.Add(ExtProcResponses.Header(key, value));
        }

        return new CheckResponse
        {
            Status = new RpcStatus { Code = refusal.StatusCode == 401 ? Unauthenticated : Unavailable },
            DeniedResponse = denied,
        };
    }
}
