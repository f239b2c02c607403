using Microsoft.AspNetCore.Http;

namespace AIBrix.EngineSim.Http;

/// <summary>vLLM's dynamic LoRA routes: POST /v1/load_lora_adapter and /v1/unload_lora_adapter.</summary>
internal static class LoraEndpoints
{
    internal static async Task LoadLoraAsync(HttpContext context, InstanceRuntime runtime)
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

    internal static async Task UnloadLoraAsync(HttpContext context, InstanceRuntime runtime)
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
}
