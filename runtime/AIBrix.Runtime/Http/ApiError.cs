using System.Text.Json;
using AIBrix.Runtime.Artifacts;

namespace AIBrix.Runtime.Http;

/// <summary>
/// One refusal: status, message, OpenAI error type, a stable code and the field at fault. Written as the OpenAI
/// body <c>{"error":{"message","type","param","code"}}</c> that vLLM also answers with, so a caller parses one shape
/// whether the runtime or the engine refused.
/// </summary>
internal sealed record ApiError(int Status, string Message, string Code, string? Param = null)
{
    public string Type => Status switch
    {
        401 or 403 => "authentication_error",
        404 => "not_found_error",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };

    public static ApiError BadRequest(string message, string code, string? param = null) => new(400, message, code, param);

    public static ApiError EngineUnavailable(string detail) =>
        new(503, "The inference engine cannot be reached: " + detail, "engine_unavailable");

    public static ApiError DownloaderNotConfigured() =>
        new(501, "Delegated artifact loading is not available: this runtime has no artifact downloader configured.", "downloader_not_configured");

    /// <summary>The one mapping of a downloader failure to a status.</summary>
    public static ApiError FromArtifact(ArtifactException e, string param) => e.Kind switch
    {
        ArtifactErrorKind.BadSource => new(400, e.Message, "invalid_artifact_url", param),
        ArtifactErrorKind.NotFound => new(404, e.Message, "artifact_not_found", param),
        ArtifactErrorKind.Unauthorized => new(401, e.Message, "artifact_unauthorized", param),
        ArtifactErrorKind.ChecksumMismatch => new(502, e.Message, "artifact_checksum_mismatch", param),
        _ => new(503, e.Message, "artifact_unavailable", param),
    };

    public Task WriteAsync(HttpContext context)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        context.Response.StatusCode = Status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(ToJson(), context.RequestAborted);
    }

    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("error");
            w.WriteString("message", Message);
            w.WriteString("type", Type);
            if (Param is null)
            {
                w.WriteNull("param");
            }
            else
            {
                w.WriteString("param", Param);
            }

            w.WriteString("code", Code);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
