using AIBrix.EngineMetrics;

namespace AIBrix.Runtime.Tests.Http;

/// <summary>LoRA through the runtime to engines other than vLLM, over their own APIs (<see cref="FakeEngine"/>).</summary>
public class OtherEngineLoraTests
{
    private static Task<RuntimeHost> StartRuntimeAsync(FakeEngine engine, EngineKind? kind) => RuntimeHost.StartAsync(new RuntimeOptions
    {
        Port = 0,
        Host = "127.0.0.1",
        EngineUrl = engine.BaseAddress,
        Engine = kind,
        ModelsDir = Path.Combine(Path.GetTempPath(), "aibrix-runtime-tests", Guid.NewGuid().ToString("N")),
        MetricsCacheTtl = TimeSpan.Zero,
        ScrapeTimeout = TimeSpan.FromSeconds(20),
    });

    private static async Task<(int Status, string Body)> PostAsync(HttpClient client, string path, string json)
    {
        using var response = await client.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Sglang_LoadUnloadAndRefusalIn200_RefusalBecomes400()
    {
        await using var engine = await FakeEngine.StartSglangAsync();
        await using var runtime = await StartRuntimeAsync(engine, EngineKind.Sglang);
        using var client = new HttpClient { BaseAddress = runtime.BaseAddress };

        var load = await PostAsync(client, "/v1/lora_adapter/load", """{"lora_name":"sql","lora_path":"/adapters/sql"}""");
        var again = await PostAsync(client, "/v1/lora_adapter/load", """{"lora_name":"sql","lora_path":"/adapters/sql"}""");
        bool loaded = engine.SglangAdapters.ContainsKey("sql");
        var unload = await PostAsync(client, "/v1/lora_adapter/unload", """{"lora_name":"sql"}""");

        Assert.Equal(200, load.Status);
        Assert.True(loaded);
        Assert.Equal(400, again.Status);
        Assert.Equal("engine_refused", RuntimeUnderTest.ErrorCode(again.Body));
        Assert.Contains("already loaded", again.Body);
        Assert.Equal(200, unload.Status);
        Assert.Empty(engine.SglangAdapters);
    }

    [Fact]
    public async Task Sglang_AutoEngine_DetectedFromThePageBeforeTheLoad()
    {
        await using var engine = await FakeEngine.StartSglangAsync();
        await using var runtime = await StartRuntimeAsync(engine, kind: null);
        using var client = new HttpClient { BaseAddress = runtime.BaseAddress };

        var load = await PostAsync(client, "/v1/lora_adapter/load", """{"lora_name":"chat","lora_path":"/adapters/chat"}""");

        Assert.Equal(200, load.Status);
        Assert.Equal("/adapters/chat", engine.SglangAdapters["chat"]);
    }

    [Fact]
    public async Task LlamaCpp_LoadPreloadedAdapter_ScaleOneThenZeroOnUnload()
    {
        await using var engine = await FakeEngine.StartLlamaCppAsync();
        await using var runtime = await StartRuntimeAsync(engine, EngineKind.LlamaCpp);
        using var client = new HttpClient { BaseAddress = runtime.BaseAddress };

        var load = await PostAsync(client, "/v1/lora_adapter/load", """{"lora_name":"sql","lora_path":"/models/lora/sql.gguf"}""");
        double scaleLoaded = engine.LlamaAdapters.Single(a => a.Id == 0).Scale;
        var unload = await PostAsync(client, "/v1/lora_adapter/unload", """{"lora_name":"sql"}""");
        double scaleUnloaded = engine.LlamaAdapters.Single(a => a.Id == 0).Scale;
        var unknown = await PostAsync(client, "/v1/lora_adapter/unload", """{"lora_name":"sql"}""");
        var notPreloaded = await PostAsync(client, "/v1/lora_adapter/load", """{"lora_name":"x","lora_path":"/elsewhere/x.gguf"}""");

        Assert.Equal(200, load.Status);
        Assert.Equal(1.0, scaleLoaded);
        Assert.Equal(0.0, engine.LlamaAdapters.Single(a => a.Id == 1).Scale);
        Assert.Equal(200, unload.Status);
        Assert.Equal(0.0, scaleUnloaded);
        Assert.Equal(404, unknown.Status);
        Assert.Equal(400, notPreloaded.Status);
        Assert.Equal("lora_not_preloaded", RuntimeUnderTest.ErrorCode(notPreloaded.Body));
    }
}
