namespace AIBrix.EngineSim.Tests.Http;

public class LoraTests
{
    private static async Task<(SimulatorHost Host, HttpClient Client)> StartAsync() 
    {
        var host = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Port = 0, TimeScale = 100, MaxLoras = 2, LoraLoadTime = TimeSpan.FromMilliseconds(3000),
        });
        return (host, new HttpClient { BaseAddress = host.Instances[0].BaseAddress });
    }

    private static Task<HttpResponseMessage> LoadAsync(HttpClient client, string name) =>
        client.PostAsync("/v1/load_lora_adapter", Http.Json($$"""{"lora_name":"{{name}}","lora_path":"/adapters/{{name}}"}"""));

    [Fact]
    public async Task LoadLoraAdapter_Loaded_ListedWithParentAndRootAndServed()
    {
        var (host, client) = await StartAsync();
        await using var _ = host;
        using var __ = client;
        var started = DateTime.UtcNow;

        using var load = await LoadAsync(client, "sql-lora");
        var (_, models) = await Http.GetAsync(client, "/v1/models");
        var (status, chat) = await Http.PostAsync(client, "/v1/chat/completions", Http.Chat("select", model: "sql-lora", extra: ",\"max_tokens\":2"));

        Assert.Equal(200, (int)load.StatusCode);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(25), "3 s load time at 100x should take ~30 ms");
        var adapter = models.GetProperty("data").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "sql-lora");
        Assert.Equal(SimulatorFixture.Model, adapter.GetProperty("parent").GetString());
        Assert.Equal("/adapters/sql-lora", adapter.GetProperty("root").GetString());
        Assert.Equal(200, status);
        Assert.Equal("sql-lora", chat.GetProperty("model").GetString());
    }

    [Fact]
    public async Task LoadLoraAdapter_BeyondMaxLoras_Returns400Explaining()
    {
        var (host, client) = await StartAsync();
        await using var _ = host;
        using var __ = client;
        (await LoadAsync(client, "a")).Dispose();
        (await LoadAsync(client, "b")).Dispose();

        var (status, body) = await Http.PostAsync(client, "/v1/load_lora_adapter", """{"lora_name":"c","lora_path":"/x"}""");

        Assert.Equal(400, status);
        Assert.Equal("max_loras_exceeded", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("--max-loras", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnloadLoraAdapter_Loaded_RemovesItAndFreesSlot()
    {
        var (host, client) = await StartAsync();
        await using var _ = host;
        using var __ = client;
        (await LoadAsync(client, "a")).Dispose();

        using var unload = await client.PostAsync("/v1/unload_lora_adapter", Http.Json("""{"lora_name":"a"}"""));
        var (status, _) = await Http.PostAsync(client, "/v1/chat/completions", Http.Chat("hi", model: "a"));
        var (again, _) = await Http.PostAsync(client, "/v1/unload_lora_adapter", """{"lora_name":"a"}""");

        Assert.Equal(200, (int)unload.StatusCode);
        Assert.Equal(404, status);
        Assert.Equal(404, again);
        Assert.Empty(host.Instances[0].LoadedAdapters);
    }

    [Fact]
    public async Task LoadLoraAdapter_Twice_Returns400AlreadyLoaded()
    {
        var (host, client) = await StartAsync();
        await using var _ = host;
        using var __ = client;
        (await LoadAsync(client, "a")).Dispose();

        var (status, body) = await Http.PostAsync(client, "/v1/load_lora_adapter", """{"lora_name":"a","lora_path":"/adapters/a"}""");

        Assert.Equal(400, status);
        Assert.Equal("lora_already_loaded", body.GetProperty("error").GetProperty("code").GetString());
    }
}
