using System.Text;
using System.Text.Json;
using AIBrix.Runtime.Http;

namespace AIBrix.Runtime.Engine;

/// <summary>What the engine answered to one management call.</summary>
internal sealed record EngineReply(int Status, byte[] Body, string? ContentType)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    public string Text => Encoding.UTF8.GetString(Body);

    /// <summary>The body as JSON, or null when it is not JSON.</summary>
    public JsonElement? Json
    {
        get
        {
            try
            {
                using var document = JsonDocument.Parse(Body);
                return document.RootElement.Clone();
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// Writes the reply as it came: status, content type, body. A refusal whose body is not JSON is wrapped in the
    /// OpenAI error shape (with the engine's status), so callers always get one error shape.
    /// </summary>
    public Task WriteAsync(HttpContext context)
    {
        if (!IsSuccess && Json is null)
        {
            string text = Text.Trim();
            return new ApiError(Status, $"The inference engine answered {Status}: {(text.Length > 512 ? text[..512] + "..." : text)}", "engine_error").WriteAsync(context);
        }

        context.Response.StatusCode = Status;
        context.Response.ContentType = ContentType ?? "application/octet-stream";
        return context.Response.Body.WriteAsync(Body, context.RequestAborted).AsTask();
    }
}

/// <summary>The engine could not be reached or did not answer in time (503 to the caller).</summary>
internal sealed class EngineUnavailableException : Exception
{
    public EngineUnavailableException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    public EngineUnavailableException()
    {
    }

    public EngineUnavailableException(string message)
        : base(message)
    {
    }
}
