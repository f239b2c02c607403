using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AIBrix.EngineSim.Http;

/// <summary>
/// POST /v1/responses, the minimal OpenAI Responses API vLLM serves: <c>input</c> (a string or a list of
/// role/content messages), optional <c>instructions</c>, <c>max_output_tokens</c>, <c>stream</c>. The answer is
/// one assistant message with one <c>output_text</c>; a stream sends <c>response.created</c>, one
/// <c>response.output_text.delta</c> per token and <c>response.completed</c> carrying the usage.
/// </summary>
internal static class ResponsesEndpoints
{
    public static async Task CreateAsync(HttpContext context, InstanceRuntime runtime)
    {
        var body = await RequestBody.ReadAsync(context, SimJsonContext.Default.ResponsesRequest);
        if (body is null)
        {
            return;
        }

        if (string.IsNullOrEmpty(body.Model))
        {
            await OpenAiErrors.BadRequestAsync(context, "Missing required parameter: 'model'.", "model", "missing_required_parameter");
            return;
        }

        string? text = Render(body);
        if (text is null)
        {
            await OpenAiErrors.BadRequestAsync(context, "'input' must be a string or a list of messages with a 'role' and a string or text-part 'content'.", "input",
                body.Input.ValueKind == JsonValueKind.Undefined ? "missing_required_parameter" : "invalid_value");
            return;
        }

        var plan = await GenerationEndpoints.PlanAsync(context, runtime, body.Model, SimTokenizer.Encode(text), body.MaxOutputTokens,
            "max_output_tokens", "input", body.Stream == true, includeUsage: true, chat: true);
        if (plan is null)
        {
            return;
        }

        var request = new EngineRequest { PromptTokens = plan.Prompt, OutputTokens = plan.OutputTokens, EndsWithStop = plan.EndsWithStop, LoraAdapter = plan.Lora };
        var cancel = context.RequestAborted;
        var events = runtime.Driver.Submit(request);
        var ids = new Ids(runtime.NewResponseId("resp_"), runtime.NewResponseId("msg_"), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        try
        {
            if (plan.Stream)
            {
                await StreamAsync(context, plan, events, ids, cancel);
                return;
            }

            int cached = 0, produced = 0;
            await foreach (var e in events.ReadAllAsync(cancel))
            {
                if (e.Kind == EngineEventKind.FirstToken)
                {
                    cached = e.CachedTokens;
                }
                else if (e.Kind == EngineEventKind.Finished)
                {
                    produced = e.OutputTokens;
                }
            }

            context.Response.ContentType = "application/json";
            await using (var json = new Utf8JsonWriter(context.Response.BodyWriter))
            {
                WriteResponse(json, plan, ids, "completed", Text(plan, produced), new Usage(plan.Prompt.Length, produced, cached));
            }

            await context.Response.BodyWriter.FlushAsync(cancel);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            runtime.Driver.Abort(request);
        }
    }

    private sealed record Ids(string Response, string Message, long Created);

    private readonly record struct Usage(int Input, int Output, int Cached);

    private static async Task StreamAsync(HttpContext context, GenerationEndpoints.Plan plan,
        System.Threading.Channels.ChannelReader<EngineEvent> events, Ids ids, CancellationToken cancel)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.StartAsync(cancel);
        var body = context.Response.BodyWriter;
        using var json = new Utf8JsonWriter(body);
        int sequence = 0, cached = 0;
        Event(body, json, "response.created", sequence++, w => { w.WritePropertyName("response"); WriteResponse(w, plan, ids, "in_progress", null, null); });
        while (await events.WaitToReadAsync(cancel))
        {
            while (events.TryRead(out var e))
            {
                if (e.Kind is EngineEventKind.FirstToken or EngineEventKind.Token)
                {
                    cached = e.Kind == EngineEventKind.FirstToken ? e.CachedTokens : cached;
                    int index = e.Kind == EngineEventKind.FirstToken ? 0 : e.OutputTokens - 1;
                    string delta = TextGenerator.TokenText(plan.StreamKey, index);
                    Event(body, json, "response.output_text.delta", sequence++, w =>
                    {
                        w.WriteString("item_id", ids.Message);
                        w.WriteNumber("output_index", 0);
                        w.WriteNumber("content_index", 0);
                        w.WriteString("delta", delta);
                    });
                }
                else if (e.Kind == EngineEventKind.Finished)
                {
                    int produced = e.OutputTokens;
                    Event(body, json, "response.completed", sequence++, w =>
                    {
                        w.WritePropertyName("response");
                        WriteResponse(w, plan, ids, "completed", Text(plan, produced), new Usage(plan.Prompt.Length, produced, cached));
                    });
                    await body.FlushAsync(cancel);
                    return;
                }
            }

            await body.FlushAsync(cancel);
        }
    }

    private static void Event(IBufferWriter<byte> body, Utf8JsonWriter json, string type, int sequence, Action<Utf8JsonWriter> members)
    {
        body.Write("event: "u8);
        body.Write(System.Text.Encoding.UTF8.GetBytes(type));
        body.Write("\ndata: "u8);
        json.Reset(body);
        json.WriteStartObject();
        json.WriteString("type", type);
        json.WriteNumber("sequence_number", sequence);
        members(json);
        json.WriteEndObject();
        json.Flush();
        body.Write("\n\n"u8);
    }

    private static void WriteResponse(Utf8JsonWriter w, GenerationEndpoints.Plan plan, Ids ids, string status, string? text, Usage? usage)
    {
        w.WriteStartObject();
        w.WriteString("id", ids.Response);
        w.WriteString("object", "response");
        w.WriteNumber("created_at", ids.Created);
        w.WriteString("status", status);
        w.WriteString("model", plan.Model);
        w.WriteStartArray("output");
        if (text is not null)
        {
            w.WriteStartObject();
            w.WriteString("type", "message");
            w.WriteString("id", ids.Message);
            w.WriteString("status", "completed");
            w.WriteString("role", "assistant");
            w.WriteStartArray("content");
            w.WriteStartObject();
            w.WriteString("type", "output_text");
            w.WriteString("text", text);
            w.WriteStartArray("annotations");
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (usage is { } u)
        {
            w.WriteStartObject("usage");
            w.WriteNumber("input_tokens", u.Input);
            w.WriteStartObject("input_tokens_details");
            w.WriteNumber("cached_tokens", u.Cached);
            w.WriteEndObject();
            w.WriteNumber("output_tokens", u.Output);
            w.WriteNumber("total_tokens", u.Input + u.Output);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("usage");
        }

        w.WriteEndObject();
    }

    private static string Text(GenerationEndpoints.Plan plan, int tokens)
    {
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < tokens; i++)
        {
            text.Append(TextGenerator.TokenText(plan.StreamKey, i));
        }

        return text.ToString();
    }

    /// <summary>The prompt the chat template renders from <c>instructions</c> (a system message) and <c>input</c>; null when malformed.</summary>
    private static string? Render(ResponsesRequest body)
    {
        var messages = new List<ChatMessage>();
        if (!string.IsNullOrEmpty(body.Instructions))
        {
            messages.Add(new ChatMessage { Role = "system", Content = JsonSerializer.SerializeToElement(body.Instructions, SimJsonContext.Default.String) });
        }

        switch (body.Input.ValueKind)
        {
            case JsonValueKind.String when body.Input.GetString()!.Length > 0:
                messages.Add(new ChatMessage { Role = "user", Content = body.Input });
                break;
            case JsonValueKind.Array when body.Input.GetArrayLength() > 0:
                foreach (var item in body.Input.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String
                        || !item.TryGetProperty("content", out var content))
                    {
                        return null;
                    }

                    messages.Add(new ChatMessage { Role = role.GetString(), Content = content });
                }

                break;
            default:
                return null;
        }

        return ChatTemplate.Render(messages);
    }
}
