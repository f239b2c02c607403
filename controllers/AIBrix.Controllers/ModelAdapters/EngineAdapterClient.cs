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

/// <summary>What a runtime needs to fetch an adapter itself (AIBrix's delegated load).</summary>
/// <param name="ArtifactUrl">The ModelAdapter's <c>artifactURL</c>, unchanged (<c>s3://</c>, <c>hf://</c>, ...).</param>
/// <param name="CredentialsSecret">The name of the <c>credentialsSecretRef</c> Secret, or null.</param>
/// <param name="Credentials">That Secret's keys and values, read by the controller, or null.</param>
/// <param name="AdditionalConfig">The ModelAdapter's <c>additionalConfig</c>, or null.</param>
public sealed record RuntimeArtifact(string ArtifactUrl, string? CredentialsSecret, IReadOnlyDictionary<string, string>? Credentials, IReadOnlyDictionary<string, string>? AdditionalConfig);

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

    /// <summary>
    /// Loads <paramref name="name"/> through the pod's AI runtime (<c>POST /v1/lora_adapter/load</c>, AIBrix's body):
    /// the runtime downloads <see cref="RuntimeArtifact.ArtifactUrl"/> with the credentials, then loads it into its engine.
    /// </summary>
    public async Task<(EngineCallResult Result, string Detail)> LoadThroughRuntimeAsync(Uri runtime, string name, RuntimeArtifact artifact, string? apiKey, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _loads);
        var payload = new RuntimeLoadRequest(name, artifact.ArtifactUrl, artifact.CredentialsSecret, artifact.Credentials, artifact.AdditionalConfig);
        var (status, body) = await PostAsync(new Uri(runtime, "v1/lora_adapter/load"), payload, apiKey, cancellationToken);
        if (status is >= 200 and < 300 || body.Contains("already been loaded", StringComparison.OrdinalIgnoreCase) || body.Contains("already_loaded", StringComparison.OrdinalIgnoreCase))
        {
            return (EngineCallResult.Ok, body);
        }

        return (Classify(status, body), $"{status}: {body}");
    }

    /// <summary>Unloads <paramref name="name"/> through the pod's AI runtime, which also removes its downloaded files (AIBrix's <c>cleanup_local</c>).</summary>
    public async Task<(EngineCallResult Result, string Detail)> UnloadThroughRuntimeAsync(Uri runtime, string name, string? apiKey, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _unloads);
        var (status, body) = await PostAsync(new Uri(runtime, "v1/lora_adapter/unload"), new RuntimeUnloadRequest(name, CleanupLocal: true), apiKey, cancellationToken);
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

    private async Task<(int Status, string Body)> PostAsync<T>(Uri uri, T payload, string? apiKey, CancellationToken cancellationToken)
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

    private sealed record RuntimeLoadRequest(
        [property: JsonPropertyName("lora_name")] string LoraName,
        [property: JsonPropertyName("artifact_url")] string ArtifactUrl,
        [property: JsonPropertyName("credentials_secret"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CredentialsSecret,
        [property: JsonPropertyName("credentials"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Credentials,
        [property: JsonPropertyName("additional_config"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? AdditionalConfig);

    private sealed record RuntimeUnloadRequest(
        [property: JsonPropertyName("lora_name")] string LoraName,
        [property: JsonPropertyName("cleanup_local")] bool CleanupLocal);

    private sealed record ModelList([property: JsonPropertyName("data")] List<ModelEntry>? Data);

    private sealed record ModelEntry([property: JsonPropertyName("id")] string Id);
}
