using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AIBrix.Controllers.Tests.Infrastructure;

/// <summary>
/// A lightweight stand-in for many engines (one Kestrel, one loopback port per engine) that speaks only vLLM's LoRA
/// admin API and <c>/v1/models</c>, and counts loads per adapter: for benchmarks where 100 simulators are too heavy.
/// </summary>
internal sealed class FakeEngineFleet : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<string, byte>> _loaded = new();
    private readonly ConcurrentDictionary<string, int> _loadsPerAdapter = new(StringComparer.Ordinal);

    private FakeEngineFleet(WebApplication app) => _app = app;

    public IReadOnlyList<int> Ports { get; private set; } = [];

    public IReadOnlyDictionary<string, int> LoadsPerAdapter => _loadsPerAdapter;

    public int LoadedOn(int port) => _loaded.TryGetValue(port, out var set) ? set.Count : 0;

    public static async Task<FakeEngineFleet> StartAsync(int engines, string model)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            for (int i = 0; i < engines; i++)
            {
                k.Listen(IPAddress.Loopback, 0);
            }
        });
        var app = builder.Build();
        var fleet = new FakeEngineFleet(app);
        app.MapPost("/v1/load_lora_adapter", async (HttpContext c) =>
        {
            var body = JsonNode.Parse(await new StreamReader(c.Request.Body).ReadToEndAsync())!;
            string name = body["lora_name"]!.GetValue<string>();
            fleet._loadsPerAdapter.AddOrUpdate(name, 1, (_, n) => n + 1);
            var set = fleet._loaded.GetOrAdd(c.Connection.LocalPort, _ => new());
            return set.TryAdd(name, 0) ? Results.Text($"Success: LoRA adapter '{name}' added successfully.") : Results.BadRequest("already been loaded");
        });
        app.MapPost("/v1/unload_lora_adapter", async (HttpContext c) =>
        {
            var body = JsonNode.Parse(await new StreamReader(c.Request.Body).ReadToEndAsync())!;
            var set = fleet._loaded.GetOrAdd(c.Connection.LocalPort, _ => new());
            return set.TryRemove(body["lora_name"]!.GetValue<string>(), out _) ? Results.Text("Success") : Results.NotFound();
        });
        app.MapGet("/v1/models", (HttpContext c) =>
        {
            var data = new JsonArray(new JsonObject { ["id"] = model, ["object"] = "model" });
            foreach (var name in fleet._loaded.GetOrAdd(c.Connection.LocalPort, _ => new()).Keys)
            {
                data.Add(new JsonObject { ["id"] = name, ["object"] = "model", ["parent"] = model });
            }

            return Results.Text(new JsonObject { ["object"] = "list", ["data"] = data }.ToJsonString(), "application/json");
        });
        await app.StartAsync();
        fleet.Ports = app.Urls.Select(u => new Uri(u).Port).ToList();
        return fleet;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
