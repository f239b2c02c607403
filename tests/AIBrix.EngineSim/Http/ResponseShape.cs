using System.Text;
using System.Text.Json;

namespace AIBrix.EngineSim.Http;

/// <summary>Writes completion and chat-completion bodies and chunks in OpenAI's shapes.</summary>
internal sealed class ResponseShape(string id, long created, string model, bool chat, ulong streamKey)
{
    public void WriteFull(Utf8JsonWriter w, int produced, string finishReason, int promptTokens, int cachedTokens)
    {
        var text = new StringBuilder(produced * 6);
        for (int i = 0; i < produced; i++)
        {
            text.Append(TextGenerator.TokenText(streamKey, i));
        }

        Head(w, chat ? "chat.completion" : "text_completion");
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        if (chat)
        {
            w.WriteStartObject("message");
            w.WriteString("role", "assistant");
            w.WriteString("content", text.ToString());
            w.WriteNull("refusal");
            w.WriteEndObject();
        }
        else
        {
            w.WriteString("text", text.ToString());
        }

        w.WriteNull("logprobs");
        w.WriteString("finish_reason", finishReason);
        w.WriteEndObject();
        w.WriteEndArray();
        Usage(w, promptTokens, produced, cachedTokens);
        w.WriteEndObject();
    }

    public void WriteChunk(Utf8JsonWriter w, string? content, bool role, bool includeUsage)
    {
        Head(w, chat ? "chat.completion.chunk" : "text_completion");
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        if (chat)
        {
            w.WriteStartObject("delta");
            if (role)
            {
                w.WriteString("role", "assistant");
            }

            w.WriteString("content", content ?? "");
            w.WriteEndObject();
        }
        else
        {
            w.WriteString("text", content ?? "");
        }

        w.WriteNull("logprobs");
        w.WriteNull("finish_reason");
        w.WriteEndObject();
        w.WriteEndArray();
        if (includeUsage)
        {
            w.WriteNull("usage");
        }

        w.WriteEndObject();
    }

    public void WriteFinish(Utf8JsonWriter w, string finishReason, bool includeUsage)
    {
        Head(w, chat ? "chat.completion.chunk" : "text_completion");
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        if (chat)
        {
            w.WriteStartObject("delta");
            w.WriteEndObject();
        }
        else
        {
            w.WriteString("text", "");
        }

        w.WriteNull("logprobs");
        w.WriteString("finish_reason", finishReason);
        w.WriteEndObject();
        w.WriteEndArray();
        if (includeUsage)
        {
            w.WriteNull("usage");
        }

        w.WriteEndObject();
    }

    public void WriteUsageChunk(Utf8JsonWriter w, int promptTokens, int completionTokens, int cachedTokens)
    {
        Head(w, chat ? "chat.completion.chunk" : "text_completion");
        w.WriteStartArray("choices");
        w.WriteEndArray();
        Usage(w, promptTokens, completionTokens, cachedTokens);
        w.WriteEndObject();
    }

    private void Head(Utf8JsonWriter w, string type)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("object", type);
        w.WriteNumber("created", created);
        w.WriteString("model", model);
    }

    private static void Usage(Utf8JsonWriter w, int promptTokens, int completionTokens, int cachedTokens)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("prompt_tokens", promptTokens);
        w.WriteNumber("completion_tokens", completionTokens);
        w.WriteNumber("total_tokens", promptTokens + completionTokens);
        w.WriteStartObject("prompt_tokens_details");
        w.WriteNumber("cached_tokens", cachedTokens);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
