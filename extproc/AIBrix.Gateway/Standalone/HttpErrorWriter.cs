using AIBrix.Gateway.Core;
using AIBrix.Gateway.Core.Errors;

namespace AIBrix.Gateway.Standalone;

/// <summary>Writes a <see cref="GatewayError"/> as an HTTP response, through the one error mapping.</summary>
internal static class HttpErrorWriter
{
    public static async Task WriteAsync(HttpContext http, GatewayError error, string requestId)
    {
        if (http.Response.HasStarted)
        {
            http.Abort(); // too late for a status: end the response so the client sees it broke
            return;
        }

        var shape = ErrorMapping.Shape(error.Kind);
        http.Response.Clear();
        http.Response.StatusCode = shape.StatusCode;
        http.Response.ContentType = "application/json";
        http.Response.Headers[shape.HeaderName] = HeaderValues.Sanitize(error.Detail ?? "true");
        if (requestId.Length > 0)
        {
            http.Response.Headers[GatewayHeaders.RequestId] = requestId;
        }

        foreach (var (key, value) in error.Headers)
        {
            http.Response.Headers[key] = value;
        }

        byte[] body = ErrorMapping.Body(error);
        http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body, http.RequestAborted);
    }
}
