using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AIBrix.Controllers.ColdStart;

/// <summary>One artifact a runtime reports (the fields of <c>GET /v1/artifacts</c> the controller reads).</summary>
public sealed record ReportedArtifact(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("source")] string? Source,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("tier")] string Tier);

/// <summary>A runtime's <c>GET /v1/artifacts</c> answer, as far as the controller reads it.</summary>
public sealed record ArtifactsReport(
    [property: JsonPropertyName("node")] string? Node,
    [property: JsonPropertyName("artifacts")] IReadOnlyList<ReportedArtifact>? Artifacts);

/// <summary>Reads runtimes' artifact inventories over HTTP.</summary>
public sealed class RuntimeArtifactsClient(HttpClient http)
{
    /// <summary>The report of the runtime at <paramref name="runtime"/>; null when it cannot be reached or answers garbage.</summary>
    public async Task<ArtifactsReport?> GetAsync(Uri runtime, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(runtime, "v1/artifacts"), cancellationToken);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<ArtifactsReport>(cancellationToken) : null;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
