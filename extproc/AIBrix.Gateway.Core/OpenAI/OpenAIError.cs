using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AIBrix.Gateway.Core.OpenAI;

/// <summary>Writes the OpenAI error body <c>{"error":{"message","type","param","code"}}</c>.</summary>
public static class OpenAIError
{
    // The body is served as application/json, never embedded in HTML, so quotes and non-ASCII
    // text stay readable instead of becoming \u0027 escapes.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Serializes an error body. All four keys are always written, as the API specifies;
    /// a null <paramref name="param"/> or <paramref name="code"/> becomes JSON <c>null</c>.
    /// </summary>
    public static byte[] Serialize(string message, string type, string? param, string? code)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(type);

        var buffer = new ArrayBufferWriter<byte>(128 + message.Length);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error"u8);
            writer.WriteString("message"u8, message);
            writer.WriteString("type"u8, type);
            WriteNullable(writer, "param"u8, param);
            WriteNullable(writer, "code"u8, code);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteNullable(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
