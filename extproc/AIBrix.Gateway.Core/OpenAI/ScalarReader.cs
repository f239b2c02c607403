using System.Text.Json;

namespace AIBrix.Gateway.Core.OpenAI;

/// <summary>Reads the scalar request fields with their type checks; the reader sits on the value.</summary>
internal static class ScalarReader
{
    /// <summary>A string or null (null leaves <paramref name="value"/> unset).</summary>
    public static RequestParseError? ReadString(ref Utf8JsonReader reader, string param, ref string? value)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                value = reader.GetString();
                return null;
            case JsonTokenType.Null:
                value = null;
                return null;
            default:
                reader.Skip();
                return Invalid(param, $"{param} must be a string");
        }
    }

    /// <summary>A boolean or null (null means false).</summary>
    public static RequestParseError? ReadBoolean(ref Utf8JsonReader reader, string param, ref bool value)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                value = true;
                return null;
            case JsonTokenType.False:
            case JsonTokenType.Null:
                value = false;
                return null;
            default:
                return Invalid(param, $"{param} must be a boolean");
        }
    }

    /// <summary>A non-negative 32-bit integer or null.</summary>
    public static RequestParseError? ReadTokenCount(ref Utf8JsonReader reader, string param, ref int? value)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            value = null;
            return null;
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int count) && count >= 0)
        {
            value = count;
            return null;
        }

        return Invalid(param, $"{param} must be a non-negative integer");
    }

    /// <summary><c>stream_options</c>: null or an object whose <c>include_usage</c> is a boolean.</summary>
    public static RequestParseError? ReadStreamOptions(ref Utf8JsonReader reader, ref bool includeUsage)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return Invalid("stream_options", "stream_options must be an object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("include_usage"u8))
            {
                reader.Skip();
                continue;
            }

            reader.Read();
            if (ReadBoolean(ref reader, "stream_options.include_usage", ref includeUsage) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static RequestParseError Invalid(string param, string message) =>
        new(RequestParseErrorKind.InvalidField, message, param);
}
