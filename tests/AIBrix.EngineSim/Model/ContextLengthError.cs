using System.Globalization;
using System.Text.Json;

namespace AIBrix.EngineSim;

/// <summary>
/// A request that does not fit the engine's context, refused before it is queued with vLLM's 400: the
/// messages of vLLM's OpenAI server (<c>_validate_input</c>, raised as a <c>VLLMValidationError</c> whose text
/// ends with <c>(parameter=..., value=...)</c>) and its error body
/// <c>{"error":{"message","type":"BadRequestError","param","code":400}}</c>. An expected outcome of a trace,
/// so a value, never an exception.
/// </summary>
/// <param name="Message">vLLM's message, with its parameter suffix.</param>
/// <param name="Param"><c>input_tokens</c> (the prompt alone fills the context) or <c>max_tokens</c>.</param>
/// <param name="Value">The prompt length or the requested output length.</param>
public sealed record ContextLengthError(string Message, string Param, int Value)
{
    /// <summary>The HTTP status vLLM answers with.</summary>
    public const int Status = 400;

    /// <summary>vLLM's error type for a request it refuses.</summary>
    public const string Type = "BadRequestError";

    /// <summary>
    /// vLLM's check: a prompt of <paramref name="maxModelLen"/> tokens or more leaves no room for output; a
    /// prompt plus <paramref name="maxTokens"/> beyond it asks for too much. Null when the request fits.
    /// </summary>
    public static ContextLengthError? Check(int maxModelLen, int promptTokens, int? maxTokens)
    {
        if (promptTokens >= maxModelLen)
        {
            return new ContextLengthError(string.Create(CultureInfo.InvariantCulture,
                $"This model's maximum context length is {maxModelLen} tokens. However, your request has {promptTokens} input tokens. " +
                $"Please reduce the length of the input messages. (parameter=input_tokens, value={promptTokens})"),
                "input_tokens", promptTokens);
        }

        if (maxTokens is { } max && promptTokens + max > maxModelLen)
        {
            return new ContextLengthError(string.Create(CultureInfo.InvariantCulture,
                $"'max_tokens' or 'max_completion_tokens' is too large: {max}. This model's maximum context length is {maxModelLen} tokens " +
                $"and your request has {promptTokens} input tokens ({max} > {maxModelLen} - {promptTokens}). (parameter=max_tokens, value={max})"),
                "max_tokens", max);
        }

        return null;
    }

    /// <summary>The response body, as vLLM writes it.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream(Message.Length + 96);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartObject("error");
            json.WriteString("message", Message);
            json.WriteString("type", Type);
            json.WriteString("param", Param);
            json.WriteNumber("code", Status);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
