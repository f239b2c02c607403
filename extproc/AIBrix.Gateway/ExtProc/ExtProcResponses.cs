using AIBrix.Gateway.Core.Errors;
using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Envoy.Type.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace AIBrix.Gateway.ExtProc;

/// <summary>
/// Builds the ext_proc messages the gateway sends. Header values always go in <c>raw_value</c>,
/// never also in <c>value</c>: Envoy reads only <c>raw_value</c> from mutations by default.
/// </summary>
internal static class ExtProcResponses
{
    private static readonly ProcessingResponse ContinueRequestHeaders = new() { RequestHeaders = new HeadersResponse { Response = new CommonResponse() } };
    private static readonly ProcessingResponse ContinueResponseBody = new() { ResponseBody = new BodyResponse { Response = new CommonResponse() } };
    private static readonly ProcessingResponse ContinueRequestBody = new() { RequestBody = new BodyResponse { Response = new CommonResponse() } };
    private static readonly ProcessingResponse ContinueRequestTrailers = new() { RequestTrailers = new TrailersResponse() };
    private static readonly ProcessingResponse ContinueResponseTrailers = new() { ResponseTrailers = new TrailersResponse() };

    /// <summary>An empty headers response: carry on unchanged. Shared: messages are never mutated after build.</summary>
    public static ProcessingResponse RequestHeadersContinue() => ContinueRequestHeaders;

    public static ProcessingResponse RequestBodyContinue() => ContinueRequestBody;

    public static ProcessingResponse ResponseBodyContinue() => ContinueResponseBody;

    public static ProcessingResponse RequestTrailersContinue() => ContinueRequestTrailers;

    public static ProcessingResponse ResponseTrailersContinue() => ContinueResponseTrailers;

    public static HeaderValueOption Header(string key, string value) => new()
    {
        Header = new HeaderValue { Key = key, RawValue = ByteString.CopyFromUtf8(value) },
        AppendAction = HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExistsOrAdd,
    };

    /// <summary>Envoy's dynamic metadata for the endpoint-picker protocol: <c>{"envoy.lb": {"x-gateway-destination-endpoint": "ip:port"}}</c>.</summary>
    public static Struct DestinationMetadata(string address)
    {
        var inner = new Struct();
        inner.Fields[Core.GatewayHeaders.DestinationEndpoint] = Value.ForString(address);
        var outer = new Struct();
        outer.Fields[Core.GatewayHeaders.DestinationMetadataNamespace] = Value.ForStruct(inner);
        return outer;
    }

    /// <summary>The refusal of a request, as <see cref="ErrorMapping.Response"/> shapes it for every host.</summary>
    public static ProcessingResponse Immediate(GatewayError error, string requestId)
    {
        var refusal = ErrorMapping.Response(error, requestId);
        var headers = new HeaderMutation();
        foreach (var (key, value) in refusal.Headers)
        {
            headers.SetHeaders.Add(Header(key, value));
        }

        return new ProcessingResponse
        {
            ImmediateResponse = new ImmediateResponse
            {
                Status = new HttpStatus { Code = (StatusCode)refusal.StatusCode },
                Headers = headers,
                Body = ByteString.CopyFrom(refusal.Body),
                Details = refusal.Cause,
            },
        };
    }
}
