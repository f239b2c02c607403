using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AIBrix.Controllers.Tests.Infrastructure;

/// <summary>
/// A stand-in AI runtime over real HTTP on a loopback port: it speaks the runtime's AIBrix routes
/// (<c>POST /v1/lora_adapter/load</c>, <c>/v1/lora_adapter/unload</c>, <c>GET /v1/models</c>), records every body it
/// is sent, and lists the adapters it was asked to load. It stands in for the runtime because the runtime app is
/// built alongside; the controller only needs its protocol.
/// </summary>
internal sealed class RuntimeStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _loaded = new(StringComparer.Ordinal);

    private RuntimeStandIn(WebApplication app) => _app = app;

    /// <summary>Bodies of load requests, in arrival order.</summary>
    public ConcurrentQueue<JsonObject> Loads { get; } = new();

    /// <summary>Bodies of unload requests, in arrival order.</summary>
    public ConcurrentQueue<JsonObject> Unloads { get; } = new();

    /// <summary>The port it listens on.</summary>
    public int Port { get; private set; }

    public static async Task<RuntimeStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var standIn = new RuntimeStandIn(app);
        app.MapPost("/v1/lora_adapter/load", async (HttpRequest request) =>
        {
            var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
            standIn.Loads.Enqueue(body);
            if (body["lora_name"]?.GetValue<string>() is not { Length: > 0 } name || body["artifact_url"]?.GetValue<string>() is not { Length: > 0 } url)
            {
                return Results.BadRequest(new { status = "error", message = "lora_name and artifact_url are required" });
            }

            standIn._loaded[name] = url;
            return Results.Ok(new { status = "success", message = $"adapter {name} loaded", local_path = $"/models/adapters/{name}" });
        });
        app.MapPost("/v1/lora_adapter/unload", async (HttpRequest request) =>
        {
            var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
            standIn.Unloads.Enqueue(body);
            return standIn._loaded.TryRemove(body["lora_name"]!.GetValue<string>(), out _) ? Results.Ok(new { status = "success" }) : Results.NotFound();
        });
        app.MapGet("/v1/models", () => Results.Json(new
        {
            @object = "list",
            data = standIn._loaded.Keys.Select(id => new { id, @object = "model" }).Prepend(new { id = "base", @object = "model" }),
        }));
        await app.StartAsync();
        standIn.Port = new Uri(app.Urls.First()).Port;
        return standIn;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
