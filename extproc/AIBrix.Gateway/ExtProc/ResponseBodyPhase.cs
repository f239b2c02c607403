using Envoy.Service.ExtProc.V3;

namespace AIBrix.Gateway.ExtProc;

/// <summary>
/// Phase 4: read usage from each response chunk as it streams by; the last chunk settles the
/// request. In STREAMED mode each chunk is let through unchanged; in FULL_DUPLEX_STREAMED mode the
/// processor owns the body, so each chunk is handed back as a streamed mutation.
/// </summary>
internal static class ResponseBodyPhase
{
    public static void Handle(ExtProcStream stream, HttpBody message, List<ProcessingResponse> output)
    {
        stream.Pipeline.OnResponseBody(stream.Context, message.Body.Span, message.EndOfStream);
        if (!stream.ResponseFullDuplex)
        {
            output.Add(ExtProcResponses.ResponseBodyContinue());
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
                        StreamedResponse = new StreamedBodyResponse { Body = message.Body, EndOfStream = message.EndOfStream },
                    },
                },
            },
        });
    }
}
