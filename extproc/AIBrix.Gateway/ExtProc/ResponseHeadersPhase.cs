using System.Globalization;
using System.Text;
using Envoy.Service.ExtProc.V3;

namespace AIBrix.Gateway.ExtProc;

/// <summary>Phase 3: note the upstream status and content type, add our response headers.</summary>
internal static class ResponseHeadersPhase
{
    public static void Handle(ExtProcStream stream, HttpHeaders message, List<ProcessingResponse> output)
    {
        int status = 0;
        string? contentType = null;
        foreach (var header in message.Headers?.Headers ?? [])
        {
            if (header.Key == ":status")
            {
                int.TryParse(Value(header), NumberStyles.None, CultureInfo.InvariantCulture, out status);
            }
            else if (string.Equals(header.Key, "content-type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = Value(header);
            }
        }

        var mutation = new HeaderMutation();
        foreach (var (key, value) in stream.Pipeline.OnResponseHeaders(stream.Context, status, contentType))
        {
            mutation.SetHeaders.Add(ExtProcResponses.Header(key, value));
        }

        output.Add(new ProcessingResponse { ResponseHeaders = new HeadersResponse { Response = new CommonResponse { HeaderMutation = mutation } } });
        if (message.EndOfStream)
        {
            stream.Pipeline.Complete(stream.Context); // a response without a body ends here
        }
    }

    private static string Value(Envoy.Config.Core.V3.HeaderValue header) =>
        header.RawValue.IsEmpty ? header.Value : Encoding.UTF8.GetString(header.RawValue.Span);
}
