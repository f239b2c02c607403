using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AIBrix.EngineSim.Http;

/// <summary>GET /v1/models, POST /v1/embeddings and POST /tokenize.</summary>
internal static class ModelEndpoints
{
    internal static async Task ModelsAsync(HttpContext context, InstanceRuntime runtime)
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

    internal static async Task EmbeddingsAsync(HttpContext context, InstanceRuntime runtime)
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

    internal static async Task TokenizeAsync(HttpContext context, InstanceRuntime runtime)
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
}
