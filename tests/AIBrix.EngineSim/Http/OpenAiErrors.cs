using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AIBrix.EngineSim.Http;

/// <summary>OpenAI error bodies: <c>{"error":{"message","type","param","code"}}</c>. The one place statuses are chosen.</summary>
internal static class OpenAiErrors
{
    public static Task BadRequestAsync(HttpContext context, string message, string? param = null, string? code = null) =>
        WriteAsync(context, StatusCodes.Status400BadRequest, message, "invalid_request_error", param, code);

    public static Task ModelNotFoundAsync(HttpContext context, string model) =>
        WriteAsync(context, StatusCodes.Status404NotFound,
            $"The model `{model}` does not exist or you do not have access to it.", "invalid_request_error", "model", "model_not_found");

    /// <summary>vLLM's own 400 for a request longer than the context (its shape, not OpenAI's: numeric code).</summary>
    public static async Task ContextLengthAsync(HttpContext context, ContextLengthError error)
    {
        context.Response.StatusCode = ContextLengthError.Status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(error.ToJson(), context.RequestAborted);
    }

    public static Task ServerErrorAsync(HttpContext context, string message) =>
        WriteAsync(context, StatusCodes.Status500InternalServerError, message, "server_error", null, null);

    public static async Task WriteAsync(HttpContext context, int status, string message, string type, string? param, string? code)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await using (var json = new Utf8JsonWriter(context.Response.BodyWriter, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartObject("error");
            json.WriteString("message", message);
            json.WriteString("type", type);
            WriteNullable(json, "param", param);
            WriteNullable(json, "code", code);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
