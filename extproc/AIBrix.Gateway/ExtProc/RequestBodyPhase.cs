using AIBrix.Gateway.Core;
using AIBrix.Gateway.Core.Errors;
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
        RouteResult route;
        if (singleMessage)
        {
            route = stream.Pipeline.OnRequestBody(context, message.Body.Span);
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

            route = stream.Pipeline.OnRequestBody(context);
        }

        var error = route.Error ?? Shed(stream, route) ?? await stream.Pipeline.AdmitAsync(context, cancellationToken);
        if (error is not null)
        {
            stream.Fail(error, output);
            return;
        }

        // Streams without include_usage get it, so their tokens settle from the engine's real count.
        byte[]? rewritten = stream.Pipeline.RewriteRequestBody(context, singleMessage ? message.Body.Span : context.BufferedBody.Span);
        var mutation = new CommonResponse { HeaderMutation = new HeaderMutation(), ClearRouteCache = true };
        ProcessingResponse routed;
        string? destination = null;
        if (route.Target is { } target)
        {
            // The pick, then fallbacks for the proxy's retries; the header and the metadata carry the same list.
            destination = stream.Endpoints is { } endpoints
                ? EndpointSubset.Destination(target, EndpointSubset.Fallbacks(endpoints.Current, context.Model, target, context.EndpointSubset, ExtProcStream.FallbackEndpoints))
                : target.Address;
            mutation.HeaderMutation.SetHeaders.Add(ExtProcResponses.Header(GatewayHeaders.TargetPod, target.Address));
            mutation.HeaderMutation.SetHeaders.Add(ExtProcResponses.Header(GatewayHeaders.DestinationEndpoint, destination));
        }

        if (context.AuthenticatedUser is { } user)
        {
            mutation.HeaderMutation.SetHeaders.Add(ExtProcResponses.Header(GatewayHeaders.User, user));
            mutation.HeaderMutation.RemoveHeaders.Add(GatewayHeaders.Authorization);
        }

        if (context.Policy is { } policy)
        {
            mutation.HeaderMutation.SetHeaders.Add(ExtProcResponses.Header(GatewayHeaders.RoutingStrategy, policy.Name));
        }
        else
        {
            // No strategy: a per-model HTTPRoute matches on this header once the route cache is cleared.
            mutation.HeaderMutation.SetHeaders.Add(ExtProcResponses.Header(GatewayHeaders.Model, route.Model));
        }

        if (stream.RequestFullDuplex)
        {
            routed = new ProcessingResponse { RequestHeaders = new HeadersResponse { Response = mutation } };
            AddMetadata(routed, destination);
            output.Add(routed);
            AddStreamedBody(context, rewritten is not null ? ByteString.CopyFrom(rewritten) : singleMessage ? message.Body : null, output);
        }
        else
        {
            if (rewritten is not null)
            {
                // BUFFERED mode: Envoy replaces the body and its content-length.
                mutation.BodyMutation = new BodyMutation { Body = ByteString.CopyFrom(rewritten) };
            }

            routed = new ProcessingResponse { RequestBody = new BodyResponse { Response = mutation } };
            AddMetadata(routed, destination);
            output.Add(routed);
        }
    }

    // GIE's saturation check: a sheddable request is refused (429) when every ready endpoint of its model is saturated;
    // the lease the pick took is given back when the stream ends, as for any refusal after routing.
    private static GatewayError? Shed(ExtProcStream stream, RouteResult route)
    {
        var context = stream.Context;
        if (route.Target is null || stream.Shedding is not { } shedding || stream.Endpoints is not { } endpoints
            || shedding.SheddableObjective(context.Headers) is not { } objective)
        {
            return null;
        }

        return shedding.AllSaturated(endpoints.Current.ReadyFor(context.Model)) ? GatewayError.RequestShed(context.Model, objective) : null;
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
