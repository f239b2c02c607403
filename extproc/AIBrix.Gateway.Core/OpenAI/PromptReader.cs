using System.Text.Json;

namespace AIBrix.Gateway.Core.OpenAI;

/// <summary>
/// Copies the prompt-bearing parts of a request into one pooled UTF-8 buffer, pieces joined by
/// <c>'\n'</c>. Strings without escapes are copied as raw bytes; only escaped ones are unescaped.
/// </summary>
internal static class PromptReader
{
    private const byte Separator = (byte)'\n';

    /// <summary>Reads a chat <c>messages</c> array or a responses <c>input</c> item array (reader on <c>StartArray</c>).</summary>
    public static RequestParseError? ReadMessages(ref Utf8JsonReader reader, ref PooledByteBuffer prompt, string param, bool requireOne, ChatTranscript? transcript = null)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return Invalid(param, $"{param} must be an array of message objects");
        }

        int index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return Invalid(param, $"{param}[{index}] must be an object");
            }

            transcript?.BeginMessage();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (transcript is not null && reader.ValueTextEquals("role"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        transcript.SetRole(Role(ref reader));
                    }
                    else
                    {
                        reader.Skip();
                    }

                    continue;
                }

                if (!reader.ValueTextEquals("content"u8))
                {
                    reader.Skip();
                    continue;
                }

                reader.Read();
                if (ReadContent(ref reader, ref prompt, transcript) is false)
                {
                    return Invalid(param, $"{param}[{index}].content must be a string, an array of content parts or null");
                }
            }

            index++;
        }

        return requireOne && index == 0 ? Invalid(param, $"{param} must contain at least one message") : null;
    }

    /// <summary>
    /// Reads a completions <c>prompt</c> or embeddings <c>input</c>: a string, an array of strings,
    /// an array of token ids or an array of token-id arrays.
    /// </summary>
    public static RequestParseError? ReadTextOrTokens(ref Utf8JsonReader reader, ref PooledByteBuffer prompt, string param, ref bool isTokenIds)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            AppendString(ref reader, ref prompt);
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return TextOrTokensError(param);
        }

        bool sawText = false;
        bool sawTokens = false;
        bool previousWasId = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    sawText = true;
                    previousWasId = false;
                    AppendString(ref reader, ref prompt);
                    break;
                case JsonTokenType.Number:
                    sawTokens = true;
                    if (!AppendTokenId(ref reader, ref prompt, previousWasId ? (byte)' ' : Separator))
                    {
                        return TextOrTokensError(param);
                    }

                    previousWasId = true;
                    break;
                case JsonTokenType.StartArray:
                    sawTokens = true;
                    previousWasId = false;
                    if (!ReadTokenSequence(ref reader, ref prompt))
                    {
                        return TextOrTokensError(param);
                    }

                    break;
                default:
                    return TextOrTokensError(param);
            }

            if (sawText && sawTokens)
            {
                return TextOrTokensError(param);
            }
        }

        isTokenIds |= sawTokens;
        return null;
    }

    /// <summary>Appends the current string token, unescaped, after a separator if the buffer is not empty.</summary>
    public static void AppendString(ref Utf8JsonReader reader, ref PooledByteBuffer prompt)
    {
        int rawLength = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        if (rawLength == 0)
        {
            return;
        }

        if (prompt.Length > 0)
        {
            prompt.Append(Separator);
        }

        if (reader.ValueIsEscaped)
        {
            // Unescaping never makes a string longer, so the raw length is enough room.
            prompt.Advance(reader.CopyString(prompt.GetSpan(rawLength)));
        }
        else if (reader.HasValueSequence)
        {
            prompt.Append(reader.ValueSequence);
        }
        else
        {
            prompt.Append(reader.ValueSpan);
        }
    }

    // A content value: string, null, or an array of parts whose "text" strings are kept
    // (image, audio and file parts carry no "text" and are skipped).
    private static bool ReadContent(ref Utf8JsonReader reader, ref PooledByteBuffer prompt, ChatTranscript? transcript)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                AppendPart(ref reader, ref prompt, transcript);
                return true;
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.StartArray:
                break;
            default:
                return false;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                AppendString(ref reader, ref prompt);
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isText = reader.ValueTextEquals("text"u8);
                reader.Read();
                if (isText && reader.TokenType == JsonTokenType.String)
                {
                    AppendPart(ref reader, ref prompt, transcript);
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return true;
    }

    // A message's text part: appended to the prompt like any string, and its range noted in the transcript. Bare
    // strings in a content array are kept in the prompt but not in the transcript: chat templates render only parts.
    private static void AppendPart(ref Utf8JsonReader reader, ref PooledByteBuffer prompt, ChatTranscript? transcript)
    {
        int before = prompt.Length;
        AppendString(ref reader, ref prompt);
        if (transcript is not null && prompt.Length > before)
        {
            int start = before == 0 ? 0 : before + 1;
            transcript.AddPart(start, prompt.Length - start);
        }
    }

    // The common roles without allocating a string for each message.
    private static string Role(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("user"u8) ? "user"
        : reader.ValueTextEquals("assistant"u8) ? "assistant"
        : reader.ValueTextEquals("system"u8) ? "system"
        : reader.ValueTextEquals("tool"u8) ? "tool"
        : reader.GetString() ?? "";

    private static bool ReadTokenSequence(ref Utf8JsonReader reader, ref PooledByteBuffer prompt)
    {
        byte separator = Separator;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !AppendTokenId(ref reader, ref prompt, separator))
            {
                return false;
            }

            separator = (byte)' ';
        }

        return true;
    }

    private static bool AppendTokenId(ref Utf8JsonReader reader, ref PooledByteBuffer prompt, byte separator)
    {
        if (!reader.TryGetInt32(out int id) || id < 0)
        {
            return false;
        }

        if (prompt.Length > 0)
        {
            prompt.Append(separator);
        }

        // Numbers are plain ASCII in JSON; the raw token is already the decimal text.
        if (reader.HasValueSequence)
        {
            prompt.Append(reader.ValueSequence);
        }
        else
        {
            prompt.Append(reader.ValueSpan);
        }

        return true;
    }

    private static RequestParseError TextOrTokensError(string param) =>
        Invalid(param, $"{param} must be a string, an array of strings, an array of token ids or an array of token-id arrays");

    private static RequestParseError Invalid(string param, string message) =>
        new(RequestParseErrorKind.InvalidField, message, param);
}
