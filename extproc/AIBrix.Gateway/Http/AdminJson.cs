using System.Text.Json;
using AIBrix.Gateway.Core.Limits;
using AIBrix.Gateway.Core.OpenAI;

namespace AIBrix.Gateway.Http;

/// <summary>Reads and writes the admin API's JSON by hand (no reflection serializer in the slim host).</summary>
internal static class AdminJson
{
    public static IResult Error(int status, string message, string code) =>
        Json(OpenAIError.Serialize(message, status >= 500 ? "server_error" : "invalid_request_error", null, code), status);

    public static IResult User(UserRecord user, int status = 200) => Write(status, w => WriteUser(w, user));

    public static IResult Users(IReadOnlyList<UserRecord> users) => Write(200, w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("data");
        foreach (var user in users)
        {
            WriteUser(w, user);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static IResult Key(ApiKeyRecord key, string? secret, int status) => Write(status, w => WriteKey(w, key, secret));

    public static IResult Keys(IReadOnlyList<ApiKeyRecord> keys) => Write(200, w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("data");
        foreach (var key in keys)
        {
            WriteKey(w, key, null);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>Reads <c>{name?, rpm?, tpm?}</c>; the error names what is wrong.</summary>
    public static async Task<(string? Name, long? Rpm, long? Tpm, string? Error)> ReadUserAsync(HttpRequest request)
    {
        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body, default, request.HttpContext.RequestAborted);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, null, null, "the body must be a JSON object");
            }

            string? name = null;
            long? rpm = null, tpm = null;
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "name" when p.Value.ValueKind == JsonValueKind.String:
                        name = p.Value.GetString();
                        break;
                    case "rpm" or "tpm" when p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt64(out long n) && n >= 0:
                        if (p.Name == "rpm")
                        {
                            rpm = n;
                        }
                        else
                        {
                            tpm = n;
                        }

                        break;
                    case "name" or "rpm" or "tpm":
                        return (null, null, null, $"'{p.Name}' has the wrong type (name: string; rpm, tpm: integers >= 0)");
                    default:
                        break;
                }
            }

            return (name, rpm, tpm, null);
        }
        catch (JsonException e)
        {
            return (null, null, null, $"malformed JSON: {e.Message}");
        }
    }

    private static IResult Write(int status, Action<Utf8JsonWriter> body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            body(writer);
        }

        return Json(buffer.WrittenSpan, status);
    }

    private static IResult Json(ReadOnlySpan<byte> utf8, int status) =>
        Results.Text(System.Text.Encoding.UTF8.GetString(utf8), "application/json", statusCode: status);

    private static void WriteUser(Utf8JsonWriter w, UserRecord user)
    {
        w.WriteStartObject();
        w.WriteString("name", user.Name);
        w.WriteNumber("rpm", user.Rpm);
        w.WriteNumber("tpm", user.Tpm);
        w.WriteEndObject();
    }

    private static void WriteKey(Utf8JsonWriter w, ApiKeyRecord key, string? secret)
    {
        w.WriteStartObject();
        w.WriteString("id", key.Id);
        w.WriteString("user", key.User);
        w.WriteString("prefix", key.Prefix);
        w.WriteString("created", key.CreatedAt);
        if (secret is not null)
        {
            w.WriteString("key", secret);
        }

        w.WriteEndObject();
    }
}
