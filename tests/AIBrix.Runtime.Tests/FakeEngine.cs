using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AIBrix.Runtime.Tests;

/// <summary>
/// An engine the simulator does not imitate, over real HTTP on a free port, speaking just the routes the runtime
/// calls: SGLang's <c>/load_lora_adapter</c> and <c>/unload_lora_adapter</c> (answering
/// <c>{"success","error_message","loaded_adapters"}</c>), or llama.cpp's <c>GET/POST /lora-adapters</c> (adapters fixed
/// at start, a scale each), plus <c>/health</c> and <c>/metrics</c>. SGLang and llama.cpp cannot run here.
/// </summary>
internal sealed class FakeEngine : IAsyncDisposable
{
    private FakeEngine(WebApplication app) => App = app;

    public WebApplication App { get; }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>SGLang's adapters by name (path).</summary>
    public ConcurrentDictionary<string, string> SglangAdapters { get; } = new();

    /// <summary>llama.cpp's adapters: id, path, scale.</summary>
    public List<(int Id, string Path, double Scale)> LlamaAdapters { get; } = [(0, "/models/lora/sql.gguf", 0), (1, "/models/lora/chat.gguf", 0)];

    public static async Task<FakeEngine> StartSglangAsync() => await StartAsync((app, engine) =>
    {
        app.MapPost("/load_lora_adapter", async (HttpContext c) =>
        {
            using var body = await JsonDocument.ParseAsync(c.Request.Body);
            string name = body.RootElement.GetProperty("lora_name").GetString()!;
            string path = body.RootElement.GetProperty("lora_path").GetString()!;
            bool added = engine.SglangAdapters.TryAdd(name, path);
            // SGLang answers 200 either way and says in the body whether it worked.
            await c.Response.WriteAsJsonAsync(new
            {
                success = added,
                error_message = added ? "" : $"LoRA adapter {name} is already loaded.",
                loaded_adapters = engine.SglangAdapters.ToDictionary(p => p.Key, p => p.Value),
            });
        });
        app.MapPost("/unload_lora_adapter", async (HttpContext c) =>
        {
            using var body = await JsonDocument.ParseAsync(c.Request.Body);
            bool removed = engine.SglangAdapters.TryRemove(body.RootElement.GetProperty("lora_name").GetString()!, out _);
            await c.Response.WriteAsJsonAsync(new { success = removed, error_message = removed ? "" : "not loaded", loaded_adapters = engine.SglangAdapters.ToDictionary(p => p.Key, p => p.Value) });
        });
        app.MapGet("/metrics", () => "sglang:num_queue_reqs{model_name=\"m\"} 4\nsglang:num_running_reqs{model_name=\"m\"} 2\n");
    });

    public static async Task<FakeEngine> StartLlamaCppAsync() => await StartAsync((app, engine) =>
    {
        app.MapGet("/lora-adapters", () => Results.Json(engine.LlamaAdapters.Select(a => new { id = a.Id, path = a.Path, scale = a.Scale })));
        app.MapPost("/lora-adapters", async (HttpContext c) =>
        {
            using var body = await JsonDocument.ParseAsync(c.Request.Body);
            var scales = body.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("id").GetInt32(), e => e.GetProperty("scale").GetDouble());
            lock (engine.LlamaAdapters)
            {
                for (int i = 0; i < engine.LlamaAdapters.Count; i++)
                {
                    var a = engine.LlamaAdapters[i];
                    engine.LlamaAdapters[i] = (a.Id, a.Path, scales.GetValueOrDefault(a.Id, 0));
                }
            }

            await c.Response.WriteAsJsonAsync(new { success = true });
        });
        app.MapGet("/metrics", () => "llamacpp:requests_processing 1\nllamacpp:requests_deferred 0\n");
    });

    private static async Task<FakeEngine> StartAsync(Action<WebApplication, FakeEngine> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/health", () => Results.Ok());
        var engine = new FakeEngine(app);
        map(app, engine);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        engine.BaseAddress = new Uri(address + "/");
        return engine;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
