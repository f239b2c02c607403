using System.Text.Json;

namespace AIBrix.Gateway.Core.OpenAI;

/// <summary>
/// Reads a <c>usage</c> object in either naming: chat/completions (<c>prompt_tokens</c>,
/// <c>completion_tokens</c>, <c>prompt_tokens_details</c>) or responses (<c>input_tokens</c>,
/// <c>output_tokens</c>, <c>input_tokens_details</c>). Counts that are not non-negative 32-bit
/// integers are ignored rather than failing the response.
/// </summary>
internal static class UsageObjectReader
{
    /// <summary>Reads the object the reader is on (<c>StartObject</c>), leaving it on the matching <c>EndObject</c>.</summary>
    public static Usage Read(ref Utf8JsonReader reader)
    {
        int prompt = 0;
        int completion = 0;
        int? total = null;
        int? cached = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8) || reader.ValueTextEquals("input_tokens"u8))
            {
                reader.Read();
                prompt = ReadCount(ref reader) ?? prompt;
            }
            else if (reader.ValueTextEquals("completion_tokens"u8) || reader.ValueTextEquals("output_tokens"u8))
            {
                reader.Read();
                completion = ReadCount(ref reader) ?? completion;
            }
            else if (reader.ValueTextEquals("total_tokens"u8))
            {
                reader.Read();
                total = ReadCount(ref reader) ?? total;
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8) || reader.ValueTextEquals("input_tokens_details"u8))
            {
                reader.Read();
                cached = reader.TokenType == JsonTokenType.StartObject ? ReadCachedTokens(ref reader) ?? cached : SkipNull(ref reader) ?? cached;
            }
            else
            {
                reader.Skip();
            }
        }

        return new Usage(prompt, completion, total ?? prompt + completion, cached);
    }

    private static int? ReadCachedTokens(ref Utf8JsonReader reader)
    {
        int? cached = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isCached = reader.ValueTextEquals("cached_tokens"u8);
            reader.Read();
            if (isCached)
            {
                cached = ReadCount(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        return cached;
    }

    private static int? ReadCount(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int value) && value >= 0 ? value : SkipNull(ref reader);

    private static int? SkipNull(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }
}
