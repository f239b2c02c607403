using System.Text;
using AIBrix.Gateway.Core.Errors;
using Envoy.Service.ExtProc.V3;

namespace AIBrix.Gateway.ExtProc;

/// <summary>Phase 1: copy the request headers, let the pipeline check path, strategy and API key.</summary>
internal static class RequestHeadersPhase
{
    public static async ValueTask HandleAsync(ExtProcStream stream, HttpHeaders message, List<ProcessingResponse> output, CancellationToken cancellationToken)
    {
        var headers = stream.Context.Headers;
        if (message.Headers is { } map)
        {
            foreach (var header in map.Headers)
            {
                // Envoy sends values in raw_value; older versions used value. Take whichever is set.
                string value = header.RawValue.IsEmpty ? header.Value : Encoding.UTF8.GetString(header.RawValue.Span);
                headers[header.Key] = value;
            }
        }

        if (await stream.Pipeline.OnRequestHeadersAsync(stream.Context, cancellationToken) is { } error)
        {
            stream.Fail(error, output);
            return;
        }

        if (message.EndOfStream)
        {
            // Every API we route carries a JSON body naming the model: an empty body is a bad request,
            // refused through the same parser path so the message and metrics match a body-less POST.
            var empty = await stream.Pipeline.RouteAsync(stream.Context, ReadOnlyMemory<byte>.Empty, cancellationToken: cancellationToken);
            stream.Fail(empty.Error ?? GatewayError.InvalidBody("request body is required"), output);
            return;
        }

        if (!stream.RequestFullDuplex)
        {
            output.Add(ExtProcResponses.RequestHeadersContinue());
        }
    }
}
