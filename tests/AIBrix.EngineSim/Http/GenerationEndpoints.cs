using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AIBrix.EngineSim.Http;

/// <summary>POST /v1/chat/completions and /v1/completions: validate, run through the engine, answer as JSON or SSE.</summary>
internal static class GenerationEndpoints
{
    internal sealed record Plan(string Model, string? Lora, int[] Prompt, int OutputTokens, bool EndsWithStop, bool Stream, bool IncludeUsage, bool Chat, ulong StreamKey);

    public static async Task ChatAsync(HttpContext context, InstanceRuntime runtime)
    {
        var body = await RequestBody.ReadAsync(context, SimJsonContext.Default.ChatCompletionRequest);
        if (body is null)
        {
            return;
        }

        if (string.IsNullOrEmpty(body.Model))
        {
            await OpenAiErrors.BadRequestAsync(context, "Missing required parameter: 'model'.", "model", "missing_required_parameter");
            return;
        }

        if (body.Messages is not { Count: > 0 })
        {
            await OpenAiErrors.BadRequestAsync(context, "Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
            return;
        }

        string? text = ChatTemplate.Render(body.Messages);
        if (text is null)
        {
            await OpenAiErrors.BadRequestAsync(context, "Each message needs a 'role' and a string or text-part 'content'.", "messages", "invalid_value");
            return;
        }

        int? maxTokens = body.MaxCompletionTokens ?? body.MaxTokens;
        var plan = await PlanAsync(context, runtime, body.Model, SimTokenizer.Encode(text), maxTokens,
            body.MaxCompletionTokens is null ? "max_tokens" : "max_completion_tokens", "messages",
            body.Stream == true, body.StreamOptions?.IncludeUsage == true, chat: true);
        if (plan is not null)
        {
            await RunAsync(context, runtime, plan);
        }
    }

    public static async Task CompletionAsync(HttpContext context, InstanceRuntime runtime)
    {
        var body = await RequestBody.ReadAsync(context, SimJsonContext.Default.CompletionRequest);
        if (body is null)
        {
            return;
        }

        if (string.IsNullOrEmpty(body.Model))
        {
            await OpenAiErrors.BadRequestAsync(context, "Missing required parameter: 'model'.", "model", "missing_required_parameter");
            return;
        }

        int[]? prompt = PromptTokens(body.Prompt);
        if (prompt is null)
        {
            await OpenAiErrors.BadRequestAsync(context, "'prompt' must be a non-empty string, a one-string array or an array of token ids.", "prompt",
                body.Prompt.ValueKind == JsonValueKind.Undefined ? "missing_required_parameter" : "invalid_value");
            return;
        }

        var plan = await PlanAsync(context, runtime, body.Model, prompt, body.MaxTokens, "max_tokens", "prompt",
            body.Stream == true, body.StreamOptions?.IncludeUsage == true, chat: false);
        if (plan is not null)
        {
            await RunAsync(context, runtime, plan);
        }
    }

    internal static async Task<Plan?> PlanAsync(HttpContext context, InstanceRuntime runtime, string model, int[] prompt, int? maxTokens,
        string maxParam, string promptParam, bool stream, bool includeUsage, bool chat)
    {
        var options = runtime.Options;
        string? lora = null;
        if (!string.Equals(model, options.Model, StringComparison.Ordinal))
        {
            if (!runtime.Lora.IsReady(model))
            {
                await OpenAiErrors.ModelNotFoundAsync(context, model);
                return null;
            }

            lora = model;
        }

        if (prompt.Length == 0)
        {
            await OpenAiErrors.BadRequestAsync(context, "The prompt is empty.", promptParam, "invalid_value");
            return null;
        }

        if (maxTokens is < 1)
        {
            await OpenAiErrors.BadRequestAsync(context, $"Invalid value for '{maxParam}': must be at least 1.", maxParam, "invalid_value");
            return null;
        }

        var config = options.ToEngineConfig();
        if (config.CheckContextLength(prompt.Length, maxTokens) is { } tooLong)
        {
            await OpenAiErrors.ContextLengthAsync(context, tooLong);
            return null;
        }

        ulong key = TextGenerator.StreamKey(options.Seed, prompt);
        int output = maxTokens ?? TextGenerator.SampleOutputLength(key, options.OutputLenMean, config.EffectiveMaxModelLen - prompt.Length);
        return new Plan(model, lora, prompt, output, maxTokens is null, stream, includeUsage, chat, key);
    }

    private static async Task RunAsync(HttpContext context, InstanceRuntime runtime, Plan plan)
    {
        var request = new EngineRequest
        {
            PromptTokens = plan.Prompt,
            OutputTokens = plan.OutputTokens,
            EndsWithStop = plan.EndsWithStop,
            LoraAdapter = plan.Lora,
        };
        bool drop = runtime.Faults.DropMidStream;
        var cancel = context.RequestAborted;
        var events = runtime.Driver.Submit(request);
        var response = new ResponseShape(runtime.NewResponseId(plan.Chat ? "chatcmpl-" : "cmpl-"),
            DateTimeOffset.UtcNow.ToUnixTimeSeconds(), plan.Model, plan.Chat, plan.StreamKey);
        try
        {
            if (plan.Stream)
            {
                await StreamAsync(context, runtime, plan, request, events, response, drop, cancel);
                return;
            }

            int cached = 0;
            int produced = 0;
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

            if (drop)
            {
                context.Abort();
                return;
            }

            context.Response.ContentType = "application/json";
            await using (var json = new Utf8JsonWriter(context.Response.BodyWriter))
            {
                response.WriteFull(json, produced, plan.EndsWithStop ? "stop" : "length", plan.Prompt.Length, cached);
            }

            await context.Response.BodyWriter.FlushAsync(cancel);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            runtime.Driver.Abort(request);
        }
    }

    private static async Task StreamAsync(HttpContext context, InstanceRuntime runtime, Plan plan, EngineRequest request,
        System.Threading.Channels.ChannelReader<EngineEvent> events, ResponseShape response, bool drop, CancellationToken cancel)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.StartAsync(cancel);
        var body = context.Response.BodyWriter;
        using var json = new Utf8JsonWriter(body);
        int cached = 0;
        int emitted = 0;
        while (await events.WaitToReadAsync(cancel))
        {
            while (events.TryRead(out var e))
            {
                switch (e.Kind)
                {
                    case EngineEventKind.FirstToken:
                        cached = e.CachedTokens;
                        if (plan.Chat)
                        {
                            Sse(body, json, w => response.WriteChunk(w, null, role: true, plan.IncludeUsage));
                        }

                        Sse(body, json, w => response.WriteChunk(w, TextGenerator.TokenText(plan.StreamKey, 0), role: false, plan.IncludeUsage));
                        emitted = 1;
                        break;
                    case EngineEventKind.Token:
                        int index = e.OutputTokens - 1;
                        Sse(body, json, w => response.WriteChunk(w, TextGenerator.TokenText(plan.StreamKey, index), role: false, plan.IncludeUsage));
                        emitted = e.OutputTokens;
                        break;
                    case EngineEventKind.Finished:
                        string reason = plan.EndsWithStop ? "stop" : "length";
                        Sse(body, json, w => response.WriteFinish(w, reason, plan.IncludeUsage));
                        if (plan.IncludeUsage)
                        {
                            int produced = e.OutputTokens;
                            Sse(body, json, w => response.WriteUsageChunk(w, plan.Prompt.Length, produced, cached));
                        }

                        body.Write("data: [DONE]\n\n"u8);
                        await body.FlushAsync(cancel);
                        return;
                    default:
                        break;
                }

                if (drop && emitted * 2 >= plan.OutputTokens)
                {
                    await body.FlushAsync(cancel);
                    runtime.Driver.Abort(request);
                    context.Abort();
                    return;
                }
            }

            await body.FlushAsync(cancel);
        }
    }

    private static void Sse(IBufferWriter<byte> body, Utf8JsonWriter json, Action<Utf8JsonWriter> write)
    {
        body.Write("data: "u8);
        json.Reset(body);
        write(json);
        json.Flush();
        body.Write("\n\n"u8);
    }

    private static int[]? PromptTokens(JsonElement prompt)
    {
        switch (prompt.ValueKind)
        {
            case JsonValueKind.String:
                return SimTokenizer.Encode(prompt.GetString()!);
            case JsonValueKind.Array when prompt.GetArrayLength() > 0:
                var first = prompt[0];
                if (first.ValueKind == JsonValueKind.String && prompt.GetArrayLength() == 1)
                {
                    return SimTokenizer.Encode(first.GetString()!);
                }

                if (first.ValueKind == JsonValueKind.Number)
                {
                    var ids = new int[prompt.GetArrayLength()];
                    int i = 0;
                    foreach (var item in prompt.EnumerateArray())
                    {
                        if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out ids[i++]))
                        {
                            return null;
                        }
                    }

                    return ids;
                }

                return null;
            default:
                return null;
        }
    }
}
