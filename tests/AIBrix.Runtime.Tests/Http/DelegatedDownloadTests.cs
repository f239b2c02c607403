using System.Text.Json;
using AIBrix.Runtime.Artifacts;
using AIBrix.Runtime.Artifacts.Tests.Fakes;
using AIBrix.Runtime.Tests.Metrics;

namespace AIBrix.Runtime.Tests.Http;

/// <summary>
/// Delegated adapter loads and model downloads end to end: the real runtime, the real <see cref="ArtifactDownloader"/>,
/// a local folder or the fake Hugging Face Hub over real HTTP as the source, and the engine simulator loading the copy.
/// </summary>
public sealed class DelegatedDownloadTests : IAsyncLifetime
{
    private readonly string _sources = Path.Combine(Path.GetTempPath(), "aibrix-runtime-sources", Guid.NewGuid().ToString("N"));
    private FakeHuggingFaceHub _hub = null!;

    public async Task InitializeAsync()
    {
        _hub = await FakeHuggingFaceHub.StartAsync();
        _hub.AddRepo("org/sql-adapter", new Dictionary<string, byte[]>
        {
            ["adapter_config.json"] = "{\"r\":8}"u8.ToArray(),
            ["adapter_model.safetensors"] = new byte[300_000],
        });
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        if (Directory.Exists(_sources))
        {
            Directory.Delete(_sources, recursive: true);
        }
    }

    private Task<RuntimeUnderTest> StartAsync() => RuntimeUnderTest.StartAsync(o => o with
    {
        Downloads = new ArtifactDownloaderOptions { HuggingFaceEndpoint = _hub.Endpoint, HuggingFaceToken = "", ChunkBytes = 64 * 1024 },
    });

    private string LocalAdapter(string name)
    {
        string folder = Path.Combine(_sources, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "adapter_config.json"), "{\"r\":16}");
        File.WriteAllBytes(Path.Combine(folder, "adapter_model.safetensors"), new byte[4096]);
        return folder;
    }

    [Fact]
    public async Task Load_DelegatedFromALocalPath_CopiedLoadedFromTheCopyAndCleanedUpOnUnload()
    {
        await using var rt = await StartAsync();
        string source = LocalAdapter("local-a");

        var (status, body) = await rt.PostAsync("/v1/lora_adapter/load", $$"""{"lora_name":"local-a","artifact_url":"{{source}}"}""");
        string localPath = JsonDocument.Parse(body).RootElement.GetProperty("local_path").GetString()!;
        var (_, models) = await rt.GetAsync("/v1/models");
        bool copied = File.Exists(Path.Combine(localPath, "adapter_model.safetensors"));
        var (unloadStatus, unload) = await rt.PostAsync("/v1/lora_adapter/unload", """{"lora_name":"local-a","cleanup_local":true}""");
        var (_, metrics) = await rt.GetAsync("/metrics");

        Assert.Equal(200, status);
        Assert.Contains("\"status\":\"success\"", body);
        Assert.Equal(Path.Combine(rt.Options.ModelsDir, "adapters", "local-a"), localPath);
        Assert.True(copied);
        var adapter = JsonDocument.Parse(models).RootElement.GetProperty("data").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "local-a");
        Assert.Equal(localPath, adapter.GetProperty("root").GetString()); // the engine loaded the runtime's copy
        Assert.Equal(200, unloadStatus);
        Assert.Contains("Deleted", unload);
        Assert.False(Directory.Exists(localPath));
        Assert.True(Directory.Exists(source)); // the source is never touched
        Assert.Equal(1, MetricStandardizerTests.Value(metrics, "aibrix:artifact_downloads_total", "kind", "adapter"));
    }

    [Fact]
    public async Task Load_DelegatedFromHuggingFace_DownloadedOverHttpAndLoaded()
    {
        await using var rt = await StartAsync();

        var (status, body) = await rt.PostAsync("/v1/lora_adapter/load",
            """{"lora_name":"sql","artifact_url":"hf://org/sql-adapter","credentials":{"HF_TOKEN":"hf_good"}}""");

        Assert.Equal(200, status);
        string localPath = JsonDocument.Parse(body).RootElement.GetProperty("local_path").GetString()!;
        Assert.Equal(300_000, new FileInfo(Path.Combine(localPath, "adapter_model.safetensors")).Length);
        Assert.True(_hub.BytesServed >= 300_000);
    }

    [Theory]
    [InlineData("""{"lora_name":"sql","artifact_url":"hf://org/sql-adapter","credentials":{"HF_TOKEN":"hf_wrong"}}""", 401, "artifact_unauthorized")]
    [InlineData("""{"lora_name":"gone","artifact_url":"/nonexistent/aibrix/adapter"}""", 404, "artifact_not_found")]
    public async Task Load_DownloaderRefuses_ItsKindIsTheStatusAndNothingIsLoaded(string request, int expectedStatus, string expectedCode)
    {
        await using var rt = await StartAsync();

        var (status, body) = await rt.PostAsync("/v1/lora_adapter/load", request);
        var (_, models) = await rt.GetAsync("/v1/models");

        Assert.Equal(expectedStatus, status);
        Assert.Equal(expectedCode, RuntimeUnderTest.ErrorCode(body));
        Assert.Single(JsonDocument.Parse(models).RootElement.GetProperty("data").EnumerateArray()); // the base model only
    }

    [Fact]
    public async Task ModelDownload_LocalSourceWaited_DownloadedAndListed()
    {
        await using var rt = await StartAsync();
        string source = LocalAdapter("tiny-model");

        var (status, body) = await rt.PostAsync("/v1/model/download?wait=true", $$"""{"model_uri":"{{source}}"}""");
        var (listStatus, list) = await rt.GetAsync("/v1/model/list");

        Assert.Equal(200, status);
        var card = JsonDocument.Parse(body).RootElement;
        Assert.Equal("tiny-model", card.GetProperty("model_name").GetString());
        Assert.Equal("downloaded", card.GetProperty("model_status").GetString());
        Assert.Equal("local", card.GetProperty("source").GetString());
        Assert.True(File.Exists(Path.Combine(rt.Options.ModelsDir, "tiny-model", "adapter_config.json")));
        Assert.Equal(200, listStatus);
        Assert.Contains("\"model_name\":\"tiny-model\"", list);
    }

    [Fact]
    public async Task ModelDownload_HuggingFaceInTheBackground_ListMovesToDownloaded()
    {
        await using var rt = await StartAsync();

        var (status, body) = await rt.PostAsync("/v1/model/download",
            """{"model_uri":"hf://org/sql-adapter","model_name":"org/sql-adapter","download_extra_config":{"HF_TOKEN":"hf_good"}}""");
        string listed = "";
        for (int i = 0; i < 600 && !listed.Contains("\"model_status\":\"downloaded\"", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
            (_, listed) = await rt.GetAsync("/v1/model/list");
        }

        Assert.Equal(200, status);
        Assert.Equal("huggingface", JsonDocument.Parse(body).RootElement.GetProperty("source").GetString());
        Assert.Contains("\"model_name\":\"org/sql-adapter\"", listed);
        Assert.Contains("\"model_status\":\"downloaded\"", listed);
    }

    [Fact]
    public async Task ModelDownload_MissingSourceWaited_404AndListedAsFailed()
    {
        await using var rt = await StartAsync();

        var (status, body) = await rt.PostAsync("/v1/model/download?wait=true", """{"model_uri":"/nonexistent/aibrix/model"}""");
        var (_, list) = await rt.GetAsync("/v1/model/list");

        Assert.Equal(404, status);
        Assert.Equal("artifact_not_found", RuntimeUnderTest.ErrorCode(body));
        Assert.Contains("\"model_status\":\"failed\"", list);
    }

    [Fact]
    public async Task ModelDownload_SameFolderTwiceAtOnce_OneDownload()
    {
        await using var rt = await StartAsync();
        string source = LocalAdapter("shared-model");
        string request = $$"""{"model_uri":"{{source}}"}""";

        var answers = await Task.WhenAll(rt.PostAsync("/v1/model/download?wait=true", request), rt.PostAsync("/v1/model/download?wait=true", request));
        var (_, metrics) = await rt.GetAsync("/metrics");

        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.Equal(1, MetricStandardizerTests.Value(metrics, "aibrix:artifact_downloads_total", "kind", "model"));
    }
}
