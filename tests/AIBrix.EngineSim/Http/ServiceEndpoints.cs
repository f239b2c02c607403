using System.Text.Json;
using AIBrix.EngineSim.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AIBrix.EngineSim.Http;

/// <summary>Maps every route of one instance.</summary>
internal static class ServiceEndpoints
{
    public static void MapSimulator(this WebApplication app, InstanceRuntime runtime)
    {
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal) && !await FaultsAllowAsync(context, runtime))
            {
                return;
            }

            await next(context);
        });

        app.MapGet("/health", (HttpContext c) => Task.CompletedTask);
        app.MapGet("/ready", (HttpContext c) => c.Response.WriteAsync("{\"status\":\"ready\"}"));
        app.MapGet("/v1/models", (HttpContext c) => ModelsAsync(c, runtime));
        app.MapPost("/v1/chat/completions", (HttpContext c) => GenerationEndpoints.ChatAsync(c, runtime));
        app.MapPost("/v1/completions", (HttpContext c) => GenerationEndpoints.CompletionAsync(c, runtime));
        app.MapPost("/v1/embeddings", (HttpContext c) => EmbeddingsAsync(c, runtime));
        app.MapPost("/tokenize", (HttpContext c) => TokenizeAsync(c, runtime));
        app.MapPost("/v1/load_lora_adapter", (HttpContext c) => LoadLoraAsync(c, runtime));
        app.MapPost("/v1/unload_lora_adapter", (HttpContext c) => UnloadLoraAsync(c, runtime));
        app.MapGet("/metrics", (HttpContext c) => MetricsAsync(c, runtime));
        app.MapGet("/admin/faults", (HttpContext c) => WriteFaultsAsync(c, runtime.Faults));
        app.MapPost("/admin/faults", (HttpContext c) => SetFaultsAsync(c, runtime));
        app.MapDelete("/admin/faults", (HttpContext c) =>
        {
            runtime.Faults = FaultSettings.None;
            return WriteFaultsAsync(c, runtime.Faults);
        });
    }

    private static async Task<bool> FaultsAllowAsync(HttpContext context, InstanceRuntime runtime)
    {
        var faults = runtime.Faults;
        if (!faults.Any)
        {
            return true;
        }

        if (faults.AddedLatencyMs > 0)
        {
            await Task.Delay(faults.AddedLatencyMs, context.RequestAborted);
        }

        if (faults.Hang)
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }

        if (faults.ErrorRate > 0 && runtime.RollError(faults.ErrorRate))
        {
            await OpenAiErrors.ServerErrorAsync(context, "Injected fault: the simulated engine failed this request.");
            return false;
        }

        return true;
    }

    private static async Task ModelsAsync(HttpContext context, InstanceRuntime runtime)
    {
        var options = runtime.Options;
        context.Response.ContentType = "application/json";
        await using (var w = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            w.WriteStartObject();
            w.WriteString("object", "list");
            w.WriteStartArray("data");
            WriteModel(w, options.Model, runtime.StartedUnixSeconds, options.Model, null, options.MaxModelLen);
            foreach (var adapter in runtime.Lora.Ready())
            {
                WriteModel(w, adapter.Name, adapter.Created, adapter.Path, options.Model, null);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private static void WriteModel(Utf8JsonWriter w, string id, long created, string root, string? parent, int? maxModelLen)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("object", "model");
        w.WriteNumber("created", created);
        w.WriteString("owned_by", "vllm");
        w.WriteString("root", root);
        if (parent is null)
        {
            w.WriteNull("parent");
        }
        else
        {
            w.WriteString("parent", parent);
        }

        if (maxModelLen is { } len)
        {
            w.WriteNumber("max_model_len", len);
        }
        else
        {
            w.WriteNull("max_model_len");
        }

        w.WriteEndObject();
    }

    private static async Task EmbeddingsAsync(HttpContext context, InstanceRuntime runtime)
    {
        var body = await RequestBody.ReadAsync(context, SimJsonContext.Default.EmbeddingRequest);
        if (body is null)
        {
            return;
        }

        if (string.IsNullOrEmpty(body.Model))
        {
            await OpenAiErrors.BadRequestAsync(context, "Missing required parameter: 'model'.", "model", "missing_required_parameter");
            return;
        }

        if (!string.Equals(body.Model, runtime.Options.Model, StringComparison.Ordinal) && !runtime.Lora.IsReady(body.Model))
        {
            await OpenAiErrors.ModelNotFoundAsync(context, body.Model);
            return;
        }

        var inputs = new List<string>();
        if (body.Input.ValueKind == JsonValueKind.String)
        {
            inputs.Add(body.Input.GetString()!);
        }
        else if (body.Input.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in body.Input.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    inputs.Clear();
                    break;
                }

                inputs.Add(item.GetString()!);
            }
        }

        if (inputs.Count == 0)
        {
            await OpenAiErrors.BadRequestAsync(context, "'input' must be a string or an array of strings.", "input",
                body.Input.ValueKind == JsonValueKind.Undefined ? "missing_required_parameter" : "invalid_value");
            return;
        }

        int dims = runtime.Options.EmbeddingDimensions;
        int totalTokens = 0;
        context.Response.ContentType = "application/json";
        await using (var w = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            w.WriteStartObject();
            w.WriteString("object", "list");
            w.WriteStartArray("data");
            var vector = new double[dims];
            for (int i = 0; i < inputs.Count; i++)
            {
                int[] tokens = SimTokenizer.Encode(inputs[i]);
                totalTokens += tokens.Length;
                ulong key = TextGenerator.StreamKey(runtime.Options.Seed, tokens);
                double norm = 0;
                for (int d = 0; d < dims; d++)
                {
                    vector[d] = TextGenerator.Uniform(key, (ulong)d) - 0.5;
                    norm += vector[d] * vector[d];
                }

                norm = Math.Sqrt(norm);
                w.WriteStartObject();
                w.WriteString("object", "embedding");
                w.WriteNumber("index", i);
                w.WriteStartArray("embedding");
                foreach (double v in vector)
                {
                    w.WriteNumberValue(Math.Round(v / norm, 6));
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("model", body.Model);
            w.WriteStartObject("usage");
            w.WriteNumber("prompt_tokens", totalTokens);
            w.WriteNumber("total_tokens", totalTokens);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private static async Task TokenizeAsync(HttpContext context, InstanceRuntime runtime)
    {
        var body = await RequestBody.ReadAsync(context, SimJsonContext.Default.TokenizeRequest);
        if (body is null)
        {
            return;
        }

        string? text = body.Prompt ?? (body.Messages is { Count: > 0 } messages ? ChatTemplate.Render(messages) : null);
        if (text is null)
        {
            await OpenAiErrors.BadRequestAsync(context, "Provide 'prompt' (string) or 'messages'.", "prompt", "missing_required_parameter");
            return;
        }

        int[] tokens = SimTokenizer.Encode(text);
        context.Response.ContentType = "application/json";
        await using (var w = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            w.WriteStartObject();
            w.WriteNumber("count", tokens.Length);
            w.WriteNumber("max_model_len", runtime.Options.MaxModelLen);
            w.WriteStartArray("tokens");
            foreach (int t in tokens)
            {
                w.WriteNumberValue(t);
            }

            w.WriteEndArray();
            w.WriteNull("token_strs");
            w.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private static async Task LoadLoraAsync(HttpContext context, InstanceRuntime runtime)
    {
        var body = await RequestBody.ReadAsync(context, SimJsonContext.Default.LoadLoraRequest);
        if (body is null)
        {
            return;
        }

        if (string.IsNullOrEmpty(body.LoraName) || string.IsNullOrEmpty(body.LoraPath))
        {
            await OpenAiErrors.BadRequestAsync(context, "Both 'lora_name' and 'lora_path' must be provided.",
                string.IsNullOrEmpty(body.LoraName) ? "lora_name" : "lora_path", "missing_required_parameter");
            return;
        }

        if (string.Equals(body.LoraName, runtime.Options.Model, StringComparison.Ordinal))
        {
            await OpenAiErrors.BadRequestAsync(context, "An adapter cannot take the base model's name.", "lora_name", "invalid_value");
            return;
        }

        switch (await runtime.Lora.LoadAsync(body.LoraName, body.LoraPath, context.RequestAborted))
        {
            case LoraChange.AlreadyLoaded:
                await OpenAiErrors.BadRequestAsync(context, $"The lora adapter '{body.LoraName}' has already been loaded.", "lora_name", "lora_already_loaded");
                return;
            case LoraChange.Full:
                await OpenAiErrors.BadRequestAsync(context,
                    $"Cannot load LoRA adapter '{body.LoraName}': all {runtime.Lora.MaxLoras} LoRA slots (--max-loras) are in use; unload one first.",
                    "lora_name", "max_loras_exceeded");
                return;
            default:
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync($"Success: LoRA adapter '{body.LoraName}' added successfully.", context.RequestAborted);
                return;
        }
    }

    private static async Task UnloadLoraAsync(HttpContext context, InstanceRuntime runtime)
    {
        var body = await RequestBody.ReadAsync(context, SimJsonContext.Default.LoadLoraRequest);
        if (body is null)
        {
            return;
        }

        if (string.IsNullOrEmpty(body.LoraName))
        {
            await OpenAiErrors.BadRequestAsync(context, "'lora_name' must be provided.", "lora_name", "missing_required_parameter");
            return;
        }

        if (runtime.Lora.Unload(body.LoraName) == LoraChange.NotFound)
        {
            await OpenAiErrors.WriteAsync(context, StatusCodes.Status404NotFound, $"The lora adapter '{body.LoraName}' cannot be found.",
                "invalid_request_error", "lora_name", "lora_not_found");
            return;
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync($"Success: LoRA adapter '{body.LoraName}' removed successfully.", context.RequestAborted);
    }

    private static async Task MetricsAsync(HttpContext context, InstanceRuntime runtime)
    {
        if (runtime.Faults.MetricsDown)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync("metrics unavailable (injected fault)\n", context.RequestAborted);
            return;
        }

        var options = runtime.Options;
        string text = runtime.Driver.Read(engine => MetricsExposition.Render(engine, options.MetricsDialect, options.Model, options.MaxLoras));
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await context.Response.WriteAsync(text, context.RequestAborted);
    }

    private static async Task SetFaultsAsync(HttpContext context, InstanceRuntime runtime)
    {
        var faults = await RequestBody.ReadAsync(context, SimJsonContext.Default.FaultSettings);
        if (faults is null)
        {
            return;
        }

        if (faults.ErrorRate is < 0 or > 1 || faults.AddedLatencyMs < 0)
        {
            await OpenAiErrors.BadRequestAsync(context, "error_rate must be in [0, 1] and added_latency_ms >= 0.", "error_rate", "invalid_value");
            return;
        }

        runtime.Faults = faults;
        await WriteFaultsAsync(context, faults);
    }

    private static Task WriteFaultsAsync(HttpContext context, FaultSettings faults)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(faults, SimJsonContext.Default.FaultSettings), context.RequestAborted);
    }
}
