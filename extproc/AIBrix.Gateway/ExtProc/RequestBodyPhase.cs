using AIBrix.Gateway.Core;
using AIBrix.Gateway.Core.Processing;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;

namespace AIBrix.Gateway.ExtProc;

/// <summary>
/// Phase 2: gather the body, route it, and tell Envoy where to send it. BUFFERED mode answers the
/// body message with header mutations; FULL_DUPLEX_STREAMED mode answers the held-back headers
/// message with them and then hands the body back as a streamed mutation, as the endpoint-picker
/// protocol does.
/// </summary>
internal static class RequestBodyPhase
{
    // Body handed back in pieces no larger than this, well under gRPC's default 4 MiB message cap.
    private const int StreamedChunkBytes = 64 * 1024;

    public static async ValueTask HandleAsync(ExtProcStream stream, HttpBody message, List<ProcessingResponse> output, CancellationToken cancellationToken)
    {
        var context = stream.Context;
        bool singleMessage = message.EndOfStream && !context.HasBufferedBody;
        RouteDecision decision;
        if (singleMessage)
        {
            decision = await stream.Pipeline.RouteAsync(context, message.Body.Memory, stream.Shedding, cancellationToken);
        }
        else
        {
            if (stream.Pipeline.AppendRequestBody(context, message.Body.Span) is { } tooLarge)
            {
                stream.Fail(tooLarge, output);
                return;
            }

            if (!message.EndOfStream)
            {
                if (!stream.RequestFullDuplex)
                {
                    output.Add(ExtProcResponses.RequestBodyContinue());
                }

                return;
            }

            decision = await stream.Pipeline.RouteAsync(context, stream.Shedding, cancellationToken);
        }

        if (decision.Error is { } error)
        {
            stream.Fail(error, output);
            return;
        }

        // The pick, then fallbacks for the proxy's retries (GIE's endpoint-picker protocol); the header and the
        // metadata carry the same list.
        string? destination = decision.Target is not { } target ? null
            : stream.Endpoints is { } endpoints
                ? EndpointSubset.Destination(target, EndpointSubset.Fallbacks(endpoints.Current, context.Model, target, context.EndpointSubset, ExtProcStream.FallbackEndpoints))
                : target.Address;
        var mutation = new CommonResponse { HeaderMutation = new HeaderMutation(), ClearRouteCache = true };
        foreach (var (key, value) in decision.SetHeaders)
        {
            bool isDestination = destination is not null && string.Equals(key, GatewayHeaders.DestinationEndpoint, StringComparison.OrdinalIgnoreCase);
            mutation.HeaderMutation.SetHeaders.Add(ExtProcResponses.Header(key, isDestination ? destination! : value));
        }

        mutation.HeaderMutation.RemoveHeaders.Add(decision.RemoveHeaders);
        ByteString? body = decision.Body is { } rewritten ? ByteString.CopyFrom(rewritten.Span) : null;
        ProcessingResponse routed;
        if (stream.RequestFullDuplex)
        {
            routed = new ProcessingResponse { RequestHeaders = new HeadersResponse { Response = mutation } };
            AddMetadata(routed, destination);
            output.Add(routed);
            AddStreamedBody(context, body ?? (singleMessage ? message.Body : null), output);
        }
        else
        {
            if (body is not null)
            {
                // BUFFERED mode: Envoy replaces the body and its content-length.
                mutation.BodyMutation = new BodyMutation { Body = body };
            }

            routed = new ProcessingResponse { RequestBody = new BodyResponse { Response = mutation } };
            AddMetadata(routed, destination);
            output.Add(routed);
        }
    }

    private static void AddMetadata(ProcessingResponse response, string? destination)
    {
        if (destination is not null)
        {
            response.DynamicMetadata = ExtProcResponses.DestinationMetadata(destination);
        }
    }

    private static void AddStreamedBody(RequestContext context, ByteString? single, List<ProcessingResponse> output)
    {
        ReadOnlyMemory<byte> body = single is not null ? single.Memory : context.BufferedBody;
        int offset = 0;
        do
        {
            int length = Math.Min(StreamedChunkBytes, body.Length - offset);
            bool last = offset + length >= body.Length;
            var chunk = single is not null && offset == 0 && last
                ? single
                : ByteString.CopyFrom(body.Span.Slice(offset, length));
            output.Add(new ProcessingResponse
            {
                RequestBody = new BodyResponse
                {
                    Response = new CommonResponse
                    {
                        BodyMutation = new BodyMutation { StreamedResponse = new StreamedBodyResponse { Body = chunk, EndOfStream = last } },
                    },
                },
            });
            offset += length;
        }
        while (offset < body.Length);
    }
}
