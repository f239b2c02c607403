using Envoy.Service.ExtProc.V3;
using Google.Protobuf;

namespace AIBrix.Gateway.ExtProc;

/// <summary>
/// Phase 4: read usage from each response chunk as it streams by; the last chunk settles the
/// request. In STREAMED mode each chunk is let through unchanged (unless the usage chunk the gateway asked
/// for must be taken out, then the chunk is replaced); in FULL_DUPLEX_STREAMED mode the
/// processor owns the body, so each chunk is handed back as a streamed mutation (with Envoy's GRPC-mode
/// framing flags).
/// </summary>
internal static class ResponseBodyPhase
{
    public static void Handle(ExtProcStream stream, HttpBody message, List<ProcessingResponse> output)
    {
        byte[]? filtered = stream.Pipeline.OnResponseChunk(stream.Context, message.Body.Span, message.EndOfStream);
        if (!stream.ResponseFullDuplex)
        {
            output.Add(filtered is null
                ? ExtProcResponses.ResponseBodyContinue()
                : new ProcessingResponse
                {
                    ResponseBody = new BodyResponse { Response = new CommonResponse { BodyMutation = new BodyMutation { Body = ByteString.CopyFrom(filtered) } } },
                });
            return;
        }

        output.Add(new ProcessingResponse
        {
            ResponseBody = new BodyResponse
            {
                Response = new CommonResponse
                {
                    BodyMutation = new BodyMutation
                    {
                        StreamedResponse = new StreamedBodyResponse
                        {
                            Body = filtered is null ? message.Body : ByteString.CopyFrom(filtered),
                            EndOfStream = message.EndOfStream,
                            // GRPC body mode framing, handed back as received: an end of stream with no message
                            // stays one, and an untouched message keeps its compressed flag.
                            EndOfStreamWithoutMessage = message.EndOfStreamWithoutMessage,
                            GrpcMessageCompressed = filtered is null && message.GrpcMessageCompressed,
                        },
                    },
                },
            },
        });
    }
}
