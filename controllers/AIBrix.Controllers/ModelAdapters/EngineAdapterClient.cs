using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using AIBrix.EngineMetrics;

namespace AIBrix.Controllers.ModelAdapters;

/// <summary>Outcome of an engine call.</summary>
public enum EngineCallResult
{
    /// <summary>Done (or already in the wanted state).</summary>
    Ok,

    /// <summary>The engine refused for a reason a retry may fix (full slots, 5xx, unreachable).</summary>
    Transient,

    /// <summary>The engine refused the request itself (400 other than "already loaded"): retrying won't help soon.</summary>
    Rejected,
}

/// <summary>
/// Loads, unloads and lists LoRA adapters through the engine's HTTP API: vLLM <c>/v1/load_lora_adapter</c>,
/// SGLang <c>/load_lora_adapter</c>; <c>/v1/models</c> lists what is loaded. Counts calls for tests and benchmarks.
/// </summary>
public sealed class EngineAdapterClient(HttpClient http)
{
    private long _loads;
    private long _unloads;
    private long _lists;

    /// <summary>Load requests sent.</summary>
    public long Loads => Interlocked.Read(ref _loads);

    /// <summary>Unload requests sent.</summary>
    public long Unloads => Interlocked.Read(ref _unloads);

    /// <summary>Model listings fetched.</summary>
    public long Lists => Interlocked.Read(ref _lists);

    /// <summary>Loads <paramref name="name"/> from <paramref name="path"/>; "already loaded" counts as success.</summary>
    public async Task<(EngineCallResult Result, string Detail)> LoadAsync(Uri engine, EngineKind kind, string name, string path, string? apiKey, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _loads);
        var route = kind == EngineKind.Sglang ? "load_lora_adapter" : "v1/load_lora_adapter";
        var (status, body) = await PostAsync(new Uri(engine, route), new LoraRequest(name, path), apiKey, cancellationToken);
        if (status is >= 200 and < 300 || body.Contains("already been loaded", StringComparison.OrdinalIgnoreCase) || body.Contains("already_loaded", StringComparison.OrdinalIgnoreCase))
        {
            return (EngineCallResult.Ok, body);
        }

        return (Classify(status, body), $"{status}: {body}");
    }

    /// <summary>Unloads <paramref name="name"/>; "not found" counts as success.</summary>
    public async Task<(EngineCallResult Result, string Detail)> UnloadAsync(Uri engine, EngineKind kind, string name, string? apiKey, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _unloads);
        var route = kind == EngineKind.Sglang ? "unload_lora_adapter" : "v1/unload_lora_adapter";
        var (status, body) = await PostAsync(new Uri(engine, route), new LoraRequest(name, null), apiKey, cancellationToken);
        return status is >= 200 and < 300 or 404 ? (EngineCallResult.Ok, body) : (Classify(status, body), $"{status}: {body}");
    }

    /// <summary>The model ids the engine serves (base and adapters); null when it could not be reached.</summary>
    public async Task<IReadOnlySet<string>?> ListModelsAsync(Uri engine, string? apiKey, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lists);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(engine, "v1/models"));
            if (apiKey is not null)
            {
                request.Headers.Authorization = new("Bearer", apiKey);
            }

            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            var list = await response.Content.ReadFromJsonAsync<ModelList>(cancellationToken);
            return (list?.Data ?? []).Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private async Task<(int Status, string Body)> PostAsync(Uri uri, LoraRequest payload, string? apiKey, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = JsonContent.Create(payload) };
            if (apiKey is not null)
            {
                request.Headers.Authorization = new("Bearer", apiKey);
            }

            using var response = await http.SendAsync(request, cancellationToken);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return ((int)HttpStatusCode.ServiceUnavailable, e.Message);
        }
    }

    private static EngineCallResult Classify(int status, string body) =>
        status >= 500 || status == 429 || status == 404 || body.Contains("max_loras", StringComparison.OrdinalIgnoreCase)
            ? EngineCallResult.Transient
            : EngineCallResult.Rejected;

    private sealed record LoraRequest(
        [property: JsonPropertyName("lora_name")] string LoraName,
        [property: JsonPropertyName("lora_path"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? LoraPath);

    private sealed record ModelList([property: JsonPropertyName("data")] List<ModelEntry>? Data);

    private sealed record ModelEntry([property: JsonPropertyName("id")] string Id);
}
