using System.Text.Json;

namespace AIBrix.Gateway.Core.OpenAI;

/// <summary>
/// Dispatches a top-level request property to its reader. Shared fields (<c>model</c>, <c>stream</c>,
/// <c>stream_options</c>, <c>user</c>) apply to every API; the prompt and token-cap fields are
/// recognised only for the API that defines them, so e.g. <c>max_tokens</c> on /v1/responses is ignored.
/// </summary>
internal static class RequestPropertyReader
{
    /// <summary>Reads one property (reader on its name) into <paramref name="fields"/>; unknown ones are skipped whole.</summary>
    public static RequestParseError? Read(OpenAIApi api, ref Utf8JsonReader reader, ref RequestFields fields)
    {
        if (reader.ValueTextEquals("model"u8))
        {
            reader.Read();
            return ScalarReader.ReadString(ref reader, "model", ref fields.Model);
        }

        if (reader.ValueTextEquals("stream"u8))
        {
            reader.Read();
            return ScalarReader.ReadBoolean(ref reader, "stream", ref fields.Stream);
        }

        if (reader.ValueTextEquals("stream_options"u8))
        {
            reader.Read();
            return ScalarReader.ReadStreamOptions(ref reader, ref fields.IncludeUsage);
        }

        if (reader.ValueTextEquals("user"u8))
        {
            reader.Read();
            return ScalarReader.ReadString(ref reader, "user", ref fields.User);
        }

        return api switch
        {
            OpenAIApi.ChatCompletions => ReadChatProperty(ref reader, ref fields),
            OpenAIApi.Completions => ReadTextOrTokensProperty(ref reader, ref fields, "prompt"u8, "prompt", allowMaxTokens: true),
            OpenAIApi.Embeddings => ReadTextOrTokensProperty(ref reader, ref fields, "input"u8, "input", allowMaxTokens: false),
            _ => ReadResponsesProperty(ref reader, ref fields),
        };
    }

    private static RequestParseError? ReadChatProperty(ref Utf8JsonReader reader, ref RequestFields fields)
    {
        if (reader.ValueTextEquals("messages"u8))
        {
            reader.Read();
            fields.Prompt.Clear();
            fields.SawPrompt = true;
            fields.Chat ??= new ChatTranscript();
            fields.Chat.Clear();
            return PromptReader.ReadMessages(ref reader, ref fields.Prompt, "messages", requireOne: true, fields.Chat);
        }

        if (reader.ValueTextEquals("max_completion_tokens"u8))
        {
            reader.Read();
            return ScalarReader.ReadTokenCount(ref reader, "max_completion_tokens", ref fields.MaxCompletionTokens);
        }

        if (reader.ValueTextEquals("max_tokens"u8))
        {
            reader.Read();
            return ScalarReader.ReadTokenCount(ref reader, "max_tokens", ref fields.MaxTokens);
        }

        reader.Skip();
        return null;
    }

    private static RequestParseError? ReadTextOrTokensProperty(
        ref Utf8JsonReader reader, ref RequestFields fields, ReadOnlySpan<byte> promptName, string param, bool allowMaxTokens)
    {
        if (reader.ValueTextEquals(promptName))
        {
            reader.Read();
            fields.Prompt.Clear();
            fields.PromptIsTokenIds = false;
            fields.SawPrompt = true;
            return PromptReader.ReadTextOrTokens(ref reader, ref fields.Prompt, param, ref fields.PromptIsTokenIds);
        }

        if (allowMaxTokens && reader.ValueTextEquals("max_tokens"u8))
        {
            reader.Read();
            return ScalarReader.ReadTokenCount(ref reader, "max_tokens", ref fields.MaxTokens);
        }

        reader.Skip();
        return null;
    }

    private static RequestParseError? ReadResponsesProperty(ref Utf8JsonReader reader, ref RequestFields fields)
    {
        if (reader.ValueTextEquals("input"u8))
        {
            reader.Read();
            fields.Prompt.Clear();
            fields.SawPrompt = true;
            if (reader.TokenType == JsonTokenType.String)
            {
                PromptReader.AppendString(ref reader, ref fields.Prompt);
                return null;
            }

            return PromptReader.ReadMessages(ref reader, ref fields.Prompt, "input", requireOne: false);
        }

        if (reader.ValueTextEquals("instructions"u8))
        {
            reader.Read();
            fields.Instructions.Clear();
            return reader.TokenType switch
            {
                JsonTokenType.String => AppendInstructions(ref reader, ref fields),
                JsonTokenType.Null => null,
                _ => new(RequestParseErrorKind.InvalidField, "instructions must be a string or null", "instructions"),
            };
        }

        if (reader.ValueTextEquals("max_output_tokens"u8))
        {
            reader.Read();
            return ScalarReader.ReadTokenCount(ref reader, "max_output_tokens", ref fields.MaxTokens);
        }

        reader.Skip();
        return null;
    }

    private static RequestParseError? AppendInstructions(ref Utf8JsonReader reader, ref RequestFields fields)
    {
        PromptReader.AppendString(ref reader, ref fields.Instructions);
        return null;
    }
}
