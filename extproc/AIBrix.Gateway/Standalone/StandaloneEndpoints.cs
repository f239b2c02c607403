using System.Text.Json;
using AIBrix.Gateway.Core.Endpoints;

namespace AIBrix.Gateway.Standalone;

/// <summary>The standalone gateway's own routes: the OpenAI API it proxies, /v1/models, (the operator page is the side port's).</summary>
internal static class StandaloneEndpoints
{
    public static void MapStandalone(this WebApplication app)
    {
        var proxy = app.Services.GetRequiredService<StandaloneProxy>();
        foreach (var path in new[] { "/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/v1/responses" })
        {
            app.MapPost(path, proxy.HandleAsync);
        }

        app.MapGet("/v1/models", (EndpointRegistry registry, HttpContext http) => WriteModelsAsync(http, registry.Current));
        // Anything else under /v1 is an API the gateway does not route: same 501 as ext_proc mode.
        app.Map("/v1/{**rest}", proxy.HandleAsync);
    }

    /// <summary>OpenAI's model list: every model and adapter with a ready endpoint; adapters name their parent.</summary>
    private static async Task WriteModelsAsync(HttpContext http, EndpointSnapshot snapshot)
    {
        var parents = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var endpoint in snapshot.All)
        {
            if (!endpoint.IsReady)
            {
                continue;
            }

            parents.TryAdd(endpoint.Model, null);
            foreach (var adapter in endpoint.Spec.Adapters)
            {
                parents.TryAdd(adapter, endpoint.Model);
            }
        }

        http.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(http.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteString("object", "list");
        writer.WriteStartArray("data");
        foreach (var (id, parent) in parents.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString("object", "model");
            writer.WriteNumber("created", 0);
            writer.WriteString("owned_by", "aibrix");
            writer.WriteString("root", parent ?? id);
            writer.WriteString("parent", parent);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(http.RequestAborted);
    }
}
