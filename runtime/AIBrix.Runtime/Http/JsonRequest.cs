using System.Text.Json;

namespace AIBrix.Runtime.Http;

/// <summary>
/// A JSON object request body, read whole (capped) and checked field by field, so every bad input gets a 400 that
/// names the field. Unknown fields are refused, as AIBrix's request models forbid extras.
/// </summary>
internal sealed class JsonRequest
{
    /// <summary>Management bodies are small; anything larger is a mistake.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private readonly JsonElement _root;

    private JsonRequest(JsonElement root) => _root = root;

    /// <summary>Reads the body; on failure returns null and the error to answer with.</summary>
    public static async Task<(JsonRequest? Request, ApiError? Error)> ReadAsync(HttpContext context, IReadOnlyCollection<string> allowedFields)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return (null, new ApiError(413, $"The request body is larger than {MaxBodyBytes} bytes.", "request_too_large"));
        }

        byte[] body;
        using (var buffer = new MemoryStream())
        {
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxBodyBytes)
                {
                    return (null, new ApiError(413, $"The request body is larger than {MaxBodyBytes} bytes.", "request_too_large"));
                }
            }

            body = buffer.ToArray();
        }

        if (body.Length == 0 || body.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            return (null, ApiError.BadRequest("The request body is empty; a JSON object is expected.", "invalid_json"));
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return (null, ApiError.BadRequest($"The request body is not valid JSON: {e.Message}", "invalid_json"));
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, ApiError.BadRequest($"The request body must be a JSON object, not {root.ValueKind.ToString().ToLowerInvariant()}.", "invalid_json"));
        }

        foreach (var property in root.EnumerateObject())
        {
            if (!allowedFields.Contains(property.Name))
            {
                return (null, ApiError.BadRequest(
                    $"Unknown field '{Bounded(property.Name)}'; this route takes {string.Join(", ", allowedFields)}.", "unknown_field", Bounded(property.Name)));
            }
        }

        return (new JsonRequest(root), null);
    }

    /// <summary>True when the field is present and not null.</summary>
    public bool Has(string name) => _root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>A string field; missing or null gives null, another type an error.</summary>
    public string? String(string name, ref ApiError? error)
    {
        if (!_root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            error ??= ApiError.BadRequest($"'{name}' must be a string.", "invalid_type", name);
            return null;
        }

        return value.GetString();
    }

    /// <summary>A required, non-blank string field.</summary>
    public string? RequiredString(string name, ref ApiError? error)
    {
        string? value = String(name, ref error);
        if (value is null || string.IsNullOrWhiteSpace(value))
        {
            error ??= ApiError.BadRequest($"'{name}' is required and must be a non-empty string.", "missing_required_parameter", name);
            return null;
        }

        return value;
    }

    /// <summary>A boolean field, or <paramref name="fallback"/> when missing.</summary>
    public bool Bool(string name, bool fallback, ref ApiError? error)
    {
        if (!_root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        error ??= ApiError.BadRequest($"'{name}' must be true or false.", "invalid_type", name);
        return fallback;
    }

    /// <summary>A whole-number field, or null when missing.</summary>
    public long? Integer(string name, ref ApiError? error)
    {
        if (!_root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n))
        {
            return n;
        }

        error ??= ApiError.BadRequest($"'{name}' must be a whole number.", "invalid_type", name);
        return null;
    }

    /// <summary>An object of string values (numbers and booleans are taken as their text), or null when missing.</summary>
    public Dictionary<string, string>? StringMap(string name, ref ApiError? error)
    {
        if (!_root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            error ??= ApiError.BadRequest($"'{name}' must be an object of strings.", "invalid_type", name);
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.String:
                    map[property.Name] = property.Value.GetString()!;
                    break;
                case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                    map[property.Name] = property.Value.GetRawText();
                    break;
                default:
                    error ??= ApiError.BadRequest($"'{name}.{Bounded(property.Name)}' must be a string.", "invalid_type", name);
                    return null;
            }
        }

        return map;
    }

    private static string Bounded(string text) => text.Length <= 64 ? text : text[..64] + "...";
}
