using System.Text.Json;

namespace AIBrix.Gateway.Core.OpenAI;

/// <summary>
/// Reads one response JSON document (a whole body or one SSE chunk) looking only at top-level
/// members: <c>usage</c>, <c>response.usage</c> (responses API <c>response.completed</c>), and
/// whether the chunk carries generated content. Nested or quoted "usage" text is never matched
/// because everything else is skipped as a whole value.
/// </summary>
internal static class ResponseEventParser
{
    /// <summary>Parses <paramref name="json"/>; throws <see cref="JsonException"/> when it is not valid JSON.</summary>
    public static void Read(ReadOnlySpan<byte> json, out Usage? usage, out bool hasContent)
    {
        usage = null;
        hasContent = false;
        bool isTextDeltaEvent = false;
        bool deltaNotEmpty = false;

        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                usage = reader.TokenType == JsonTokenType.StartObject ? UsageObjectReader.Read(ref reader) : SkipValue(ref reader);
            }
            else if (reader.ValueTextEquals("choices"u8))
            {
                reader.Read();
                hasContent |= reader.TokenType == JsonTokenType.StartArray ? ChoicesHaveContent(ref reader) : SkipFalse(ref reader);
            }
            else if (reader.ValueTextEquals("response"u8))
            {
                reader.Read();
                usage = (reader.TokenType == JsonTokenType.StartObject ? ReadNestedUsage(ref reader) : SkipValue(ref reader)) ?? usage;
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                isTextDeltaEvent = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("response.output_text.delta"u8);
            }
            else if (reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                deltaNotEmpty = IsNonEmptyString(ref reader) || SkipFalse(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        hasContent |= isTextDeltaEvent && deltaNotEmpty;
    }

    private static Usage? ReadNestedUsage(ref Utf8JsonReader reader)
    {
        Usage? usage = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isUsage = reader.ValueTextEquals("usage"u8);
            reader.Read();
            if (isUsage && reader.TokenType == JsonTokenType.StartObject)
            {
                usage = UsageObjectReader.Read(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        return usage;
    }

    // A choice has content when its delta (chat) carries a non-empty content, reasoning_content or
    // tool call, or when it has a non-empty text (completions).
    private static bool ChoicesHaveContent(ref Utf8JsonReader reader)
    {
        bool found = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("delta"u8))
                {
                    reader.Read();
                    found |= reader.TokenType == JsonTokenType.StartObject ? DeltaHasContent(ref reader) : SkipFalse(ref reader);
                }
                else if (reader.ValueTextEquals("text"u8))
                {
                    reader.Read();
                    found |= IsNonEmptyString(ref reader) || SkipFalse(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return found;
    }

    private static bool DeltaHasContent(ref Utf8JsonReader reader)
    {
        bool found = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8) || reader.ValueTextEquals("reasoning_content"u8))
            {
                reader.Read();
                found |= IsNonEmptyString(ref reader);
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        found = true;
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return found;
    }

    private static bool IsNonEmptyString(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0;

    // Helpers that skip the current value (a no-op for scalars) so expressions stay one-liners.
    private static Usage? SkipValue(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }

    private static bool SkipFalse(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return false;
    }
}
