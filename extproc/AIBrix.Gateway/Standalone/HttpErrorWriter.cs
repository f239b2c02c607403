using AIBrix.Gateway.Core.Errors;

namespace AIBrix.Gateway.Standalone;

/// <summary>Writes a <see cref="GatewayError"/> as an HTTP response, as <see cref="ErrorMapping.Response"/> shapes it for every host.</summary>
internal static class HttpErrorWriter
{
    public static async Task WriteAsync(HttpContext http, GatewayError error, string requestId)
    {
        if (http.Response.HasStarted)
        {
            http.Abort(); // too late for a status: end the response so the client sees it broke
            return;
        }

        var refusal = ErrorMapping.Response(error, requestId);
        http.Response.Clear();
        http.Response.StatusCode = refusal.StatusCode;
        foreach (var (key, value) in refusal.Headers)
        {
            http.Response.Headers[key] = value;
        }

        http.Response.ContentLength = refusal.Body.Length;
        await http.Response.Body.WriteAsync(refusal.Body, http.RequestAborted);
    }
}
