using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using AIBrix.EngineMetrics;
using AIBrix.Runtime.Http;

namespace AIBrix.Runtime.Engine;

/// <summary>
/// Loads and unloads LoRA adapters through each engine's own API:
/// vLLM <c>POST /v1/load_lora_adapter</c> and <c>/v1/unload_lora_adapter</c> (<c>lora_name</c>, <c>lora_path</c>);
/// SGLang <c>POST /load_lora_adapter</c> and <c>/unload_lora_adapter</c> (same fields; it answers
/// <c>{"success", "error_message", "loaded_adapters"}</c>); llama.cpp, which only loads adapters at start
/// (<c>--lora FILE</c>), by turning one of those on or off with <c>POST /lora-adapters</c> (scale 1 or 0).
/// The engine's answer comes back as it was; only llama.cpp's, which has no per-name routes, is made up here.
/// </summary>
internal sealed class EngineLoraApi(EngineClient engine)
{
    // llama.cpp knows adapters by id; the runtime remembers which name it gave to which.
    private readonly ConcurrentDictionary<string, int> _llamaIds = new(StringComparer.Ordinal);

    public Task<EngineReply> LoadAsync(EngineKind kind, string name, string path, string? authorization, CancellationToken ct) => kind switch
    {
        EngineKind.Sglang => SglangAsync("load_lora_adapter", Json(name, path), authorization, ct),
        EngineKind.LlamaCpp => LlamaLoadAsync(name, path, authorization, ct),
        _ => engine.SendAsync(HttpMethod.Post, "v1/load_lora_adapter", Json(name, path), authorization, engine.Options.EngineTimeout, ct),
    };

    public Task<EngineReply> UnloadAsync(EngineKind kind, string name, long? intId, string? authorization, CancellationToken ct) => kind switch
    {
        EngineKind.Sglang => SglangAsync("unload_lora_adapter", Json(name, null), authorization, ct),
        EngineKind.LlamaCpp => LlamaUnloadAsync(name, authorization, ct),
        _ => engine.SendAsync(HttpMethod.Post, "v1/unload_lora_adapter", Json(name, null, intId), authorization, engine.Options.EngineTimeout, ct),
    };

    private async Task<EngineReply> SglangAsync(string route, string body, string? authorization, CancellationToken ct)
    {
        var reply = await engine.SendAsync(HttpMethod.Post, route, body, authorization, engine.Options.EngineTimeout, ct).ConfigureAwait(false);
        // SGLang may say 200 with success=false: that is a refusal, and the caller must see it as one.
        if (reply.IsSuccess && reply.Json is { ValueKind: JsonValueKind.Object } json
            && json.TryGetProperty("success", out var success) && success.ValueKind == JsonValueKind.False)
        {
            string message = json.TryGetProperty("error_message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "SGLang refused the request.";
            return Refusal(400, message, "engine_refused");
        }

        return reply;
    }

    private async Task<EngineReply> LlamaLoadAsync(string name, string path, string? authorization, CancellationToken ct)
    {
        var (adapters, error) = await LlamaAdaptersAsync(authorization, ct).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var match = adapters.FirstOrDefault(a => string.Equals(a.Path, path, StringComparison.Ordinal))
            ?? adapters.FirstOrDefault(a => string.Equals(Path.GetFileName(a.Path), Path.GetFileName(path), StringComparison.Ordinal));
        if (match is null)
        {
            return Refusal(400,
                $"llama.cpp loads adapters only at start (--lora FILE); '{path}' is not one of its {adapters.Count} adapter(s): " +
                string.Join(", ", adapters.Select(a => a.Path)), "lora_not_preloaded");
        }

        var set = await LlamaScaleAsync(adapters, match.Id, 1.0, authorization, ct).ConfigureAwait(false);
        if (!set.IsSuccess)
        {
            return set;
        }

        _llamaIds[name] = match.Id;
        return Text($"Success: LoRA adapter '{name}' added successfully.");
    }

    private async Task<EngineReply> LlamaUnloadAsync(string name, string? authorization, CancellationToken ct)
    {
        if (!_llamaIds.TryGetValue(name, out int id))
        {
            return Refusal(404, $"The lora adapter '{name}' cannot be found.", "lora_not_found");
        }

        var (adapters, error) = await LlamaAdaptersAsync(authorization, ct).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var set = await LlamaScaleAsync(adapters, id, 0.0, authorization, ct).ConfigureAwait(false);
        if (!set.IsSuccess)
        {
            return set;
        }

        _llamaIds.TryRemove(name, out _);
        return Text($"Success: LoRA adapter '{name}' removed successfully.");
    }

    private async Task<(List<LlamaAdapter> Adapters, EngineReply? Error)> LlamaAdaptersAsync(string? authorization, CancellationToken ct)
    {
        var reply = await engine.SendAsync(HttpMethod.Get, "lora-adapters", null, authorization, engine.Options.EngineTimeout, ct).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            return ([], reply);
        }

        var list = new List<LlamaAdapter>();
        if (reply.Json is { ValueKind: JsonValueKind.Array } array)
        {
            foreach (var item in array.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var id) && id.TryGetInt32(out int n))
                {
                    string path = item.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : "";
                    double scale = item.TryGetProperty("scale", out var s) && s.TryGetDouble(out double d) ? d : 0;
                    list.Add(new LlamaAdapter(n, path, scale));
                }
            }

            return (list, null);
        }

        return ([], Refusal(502, "llama.cpp's GET /lora-adapters did not answer a JSON list.", "engine_bad_response"));
    }

    // POST /lora-adapters sets the scale of every adapter it lists; unlisted ones go to 0, so list all.
    private Task<EngineReply> LlamaScaleAsync(List<LlamaAdapter> adapters, int id, double scale, string? authorization, CancellationToken ct)
    {
        string body = JsonSerializer.Serialize(adapters.Select(a => new Dictionary<string, object> { ["id"] = a.Id, ["scale"] = a.Id == id ? scale : a.Scale }));
        return engine.SendAsync(HttpMethod.Post, "lora-adapters", body, authorization, engine.Options.EngineTimeout, ct);
    }

    private static string Json(string name, string? path, long? intId = null)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("lora_name", name);
            if (path is not null)
            {
                w.WriteString("lora_path", path);
            }

            if (intId is { } id)
            {
                w.WriteNumber("lora_int_id", id);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static EngineReply Text(string text) => new(200, Encoding.UTF8.GetBytes(text), "text/plain; charset=utf-8");

    private static EngineReply Refusal(int status, string message, string code) =>
        new(status, Encoding.UTF8.GetBytes(new ApiError(status, message, code).ToJson()), "application/json");

    private sealed record LlamaAdapter(int Id, string Path, double Scale);
}
