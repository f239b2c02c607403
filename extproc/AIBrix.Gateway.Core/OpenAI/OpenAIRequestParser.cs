using System.Buffers;
using System.Text.Json;

namespace AIBrix.Gateway.Core.OpenAI;

/// <summary>
/// Reads an OpenAI request body in one forward pass with <see cref="Utf8JsonReader"/>: no DOM, unknown
/// fields skipped, only the prompt strings copied (into one pooled buffer). Expected failures come back
/// as a <see cref="RequestParseError"/>, never as exceptions.
/// </summary>
public static class OpenAIRequestParser
{
    // 64 levels, the System.Text.Json default: far beyond any real request, and it bounds the
    // reader's own stack. Deeper bodies are reported as malformed.
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    private static readonly RequestParseError EmptyBodyError =
        new(RequestParseErrorKind.EmptyBody, "request body is empty; expected a JSON object", null);

    // The reader checks UTF-8 only in strings it decodes; the prompt is read raw, so invalid bytes there would reach
    // the engine. One vectorised pass over the body refuses them here instead.
    private static readonly RequestParseError NotUtf8Error =
        new(RequestParseErrorKind.MalformedJson, "request body is not valid JSON: it is not valid UTF-8", null);

    /// <summary>Parses a buffered body for <paramref name="api"/>.</summary>
    public static RequestParseResult Parse(OpenAIApi api, ReadOnlySpan<byte> body)
    {
        // Some clients (PowerShell, .NET's Encoding.UTF8 writers) prefix a BOM the JSON reader rejects.
        if (body.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        if (body.TrimStart(" \t\r\n"u8).IsEmpty)
        {
            return RequestParseResult.Failure(EmptyBodyError);
        }

        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            return RequestParseResult.Failure(NotUtf8Error);
        }

        var reader = new Utf8JsonReader(body, ReaderOptions);
        return Parse(api, ref reader);
    }

    /// <summary>Parses a body held in several segments (e.g. Envoy body chunks) without joining them.</summary>
    public static RequestParseResult Parse(OpenAIApi api, in ReadOnlySequence<byte> body)
    {
        if (body.IsSingleSegment)
        {
            return Parse(api, body.FirstSpan);
        }

        ReadOnlySequence<byte> json = body.FirstSpan.StartsWith("\uFEFF"u8) ? body.Slice(3) : body;
        bool blank = true;
        foreach (ReadOnlyMemory<byte> segment in json)
        {
            if (!segment.Span.TrimStart(" \t\r\n"u8).IsEmpty)
            {
                blank = false;
                break;
            }
        }

        if (blank)
        {
            return RequestParseResult.Failure(EmptyBodyError);
        }

        if (!IsUtf8(json))
        {
            return RequestParseResult.Failure(NotUtf8Error);
        }

        var reader = new Utf8JsonReader(json, ReaderOptions);
        return Parse(api, ref reader);
    }

    // A code point may straddle segments: check the joined bytes (multi-segment bodies are the rare case).
    private static bool IsUtf8(in ReadOnlySequence<byte> body)
    {
        int length = checked((int)body.Length);
        byte[] joined = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            body.CopyTo(joined);
            return System.Text.Unicode.Utf8.IsValid(joined.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(joined);
        }
    }

    private static RequestParseResult Parse(OpenAIApi api, ref Utf8JsonReader reader)
    {
        var fields = new RequestFields();
        try
        {
            RequestParseError? error = ReadBody(api, ref reader, ref fields);
            if (error is null && reader.Read())
            {
                // Unreachable in practice: the reader throws on trailing content itself.
                error = Malformed("unexpected content after the JSON object");
            }

            return error is null ? Complete(api, ref fields) : RequestParseResult.Failure(error);
        }
        catch (JsonException ex)
        {
            return RequestParseResult.Failure(Malformed(ex.Message));
        }
        catch (InvalidOperationException ex)
        {
            // Thrown by CopyString/GetString for invalid UTF-8 or lone surrogates in escapes.
            return RequestParseResult.Failure(Malformed(ex.Message));
        }
        finally
        {
            fields.Prompt.Dispose();
            fields.Instructions.Dispose();
        }
    }

    private static RequestParseError? ReadBody(OpenAIApi api, ref Utf8JsonReader reader, ref RequestFields fields)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return new(RequestParseErrorKind.NotAnObject, "request body must be a JSON object", null);
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            RequestParseError? error = RequestPropertyReader.Read(api, ref reader, ref fields);
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static RequestParseResult Complete(OpenAIApi api, ref RequestFields fields)
    {
        if (string.IsNullOrEmpty(fields.Model))
        {
            return RequestParseResult.Failure(new(RequestParseErrorKind.MissingModel, "model is required", "model"));
        }

        if (!fields.SawPrompt && api != OpenAIApi.Responses)
        {
            string param = api switch
            {
                OpenAIApi.ChatCompletions => "messages",
                OpenAIApi.Completions => "prompt",
                _ => "input",
            };
            return RequestParseResult.Failure(new(RequestParseErrorKind.MissingField, $"{param} is required", param));
        }

        // Responses: the instructions come first whatever their position in the body, as the
        // engine renders them ahead of the input.
        ReadOnlySpan<byte> instructions = fields.Instructions.WrittenSpan;
        ReadOnlySpan<byte> input = fields.Prompt.WrittenSpan;
        int joiner = instructions.Length > 0 && input.Length > 0 ? 1 : 0;
        byte[] prompt = GC.AllocateUninitializedArray<byte>(instructions.Length + joiner + input.Length);
        instructions.CopyTo(prompt);
        if (joiner == 1)
        {
            prompt[instructions.Length] = (byte)'\n';
        }

        input.CopyTo(prompt.AsSpan(instructions.Length + joiner));

        var request = new OpenAIRequest(api, fields.Model, prompt, fields.PromptIsTokenIds)
        {
            Stream = fields.Stream,
            IncludeUsage = fields.IncludeUsage,
            MaxTokens = fields.MaxCompletionTokens ?? fields.MaxTokens,
            User = fields.User,
            Chat = fields.Chat,
        };
        return RequestParseResult.Success(request);
    }

    private static RequestParseError Malformed(string detail) =>
        new(RequestParseErrorKind.MalformedJson, $"request body is not valid JSON: {detail}", null);
}
