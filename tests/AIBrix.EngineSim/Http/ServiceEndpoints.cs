using System.Text.Json;
using AIBrix.EngineSim.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AIBrix.EngineSim.Http;

/// <summary>Maps every route of one instance; owns fault injection, /metrics and /admin/faults.</summary>
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
        app.MapGet("/v1/models", (HttpContext c) => ModelEndpoints.ModelsAsync(c, runtime));
        app.MapPost("/v1/chat/completions", (HttpContext c) => GenerationEndpoints.ChatAsync(c, runtime));
        app.MapPost("/v1/completions", (HttpContext c) => GenerationEndpoints.CompletionAsync(c, runtime));
        app.MapPost("/v1/responses", (HttpContext c) => ResponsesEndpoints.CreateAsync(c, runtime));
        app.MapPost("/v1/embeddings", (HttpContext c) => ModelEndpoints.EmbeddingsAsync(c, runtime));
        app.MapPost("/tokenize", (HttpContext c) => ModelEndpoints.TokenizeAsync(c, runtime));
        app.MapPost("/v1/load_lora_adapter", (HttpContext c) => LoraEndpoints.LoadLoraAsync(c, runtime));
        app.MapPost("/v1/unload_lora_adapter", (HttpContext c) => LoraEndpoints.UnloadLoraAsync(c, runtime));
        app.MapGet("/metrics", (HttpContext c) => MetricsAsync(c, runtime));
        app.MapPost("/reset_prefix_cache", (HttpContext c) => ResetPrefixCacheAsync(c, runtime));
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

    /// <summary>vLLM's <c>POST /reset_prefix_cache</c>: drops the prefix cache (and publishes AllBlocksCleared) when idle.</summary>
    private static Task ResetPrefixCacheAsync(HttpContext context, InstanceRuntime runtime) =>
        runtime.Driver.Read(static e => e.ResetPrefixCache())
            ? Task.CompletedTask
            : OpenAiErrors.WriteAsync(context, StatusCodes.Status409Conflict,
                "The prefix cache cannot be reset while requests hold KV blocks; retry when the engine is idle.", "invalid_request_error", null, "engine_busy");

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
