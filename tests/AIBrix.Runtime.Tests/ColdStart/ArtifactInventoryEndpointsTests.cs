using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AIBrix.Runtime.Artifacts.Inventory;
using AIBrix.Runtime.ColdStart;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace AIBrix.Runtime.Tests.ColdStart;

/// <summary><c>GET /v1/artifacts</c> over real HTTP: the JSON the cold-start controller reads.</summary>
public sealed class ArtifactInventoryEndpointsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "aibrix-artifacts-" + Guid.NewGuid().ToString("N"));

    public ArtifactInventoryEndpointsTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static async Task<(WebApplication App, HttpClient Http)> StartAsync(string modelsDir, ArtifactInventory inventory)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapArtifactInventory(modelsDir, inventory, TimeProvider.System, () => "node-7");
        await app.StartAsync();
        return (app, new HttpClient { BaseAddress = new Uri(app.Urls.First()) });
    }

    [Fact]
    public async Task Get_ListsEachArtifactWithNodeTierAndSizes()
    {
        Directory.CreateDirectory(Path.Combine(_root, "org", "model"));
        await File.WriteAllBytesAsync(Path.Combine(_root, "org", "model", "model.safetensors"), new byte[10_000]);
        ArtifactInventory.RecordSource(Path.Combine(_root, "org", "model"), "s3://bucket/org/model");
        var (app, http) = await StartAsync(_root, new ArtifactInventory(MincoreProbe.Create()));
        await using var _ = app;
        using var __ = http;

        var body = await http.GetFromJsonAsync<JsonObject>("/v1/artifacts");

        Assert.Equal("node-7", body!["node"]!.GetValue<string>());
        Assert.Equal(Path.GetFullPath(_root), body["models_dir"]!.GetValue<string>());
        var artifact = Assert.Single(body["artifacts"]!.AsArray())!;
        Assert.Equal("org/model", artifact["name"]!.GetValue<string>());
        Assert.Equal("s3://bucket/org/model", artifact["source"]!.GetValue<string>());
        Assert.Equal(10_000, artifact["bytes"]!.GetValue<long>());
        Assert.Equal(1, artifact["files"]!.GetValue<int>());
        Assert.Contains(artifact["tier"]!.GetValue<string>(), new[] { ArtifactTiers.Memory, ArtifactTiers.Disk });
        Assert.Equal(OperatingSystem.IsLinux() ? "mincore" : "unavailable", body["residency"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_ModelsDirIsAFile_503WithAnOpenAiError()
    {
        string file = Path.Combine(_root, "not-a-folder");
        await File.WriteAllTextAsync(file, "x");
        Directory.CreateDirectory(Path.Combine(_root, "locked"));
        var (app, http) = await StartAsync(file, new ArtifactInventory(new ThrowingProbe()));
        await using var _ = app;
        using var __ = http;

        // A file where the folder should be holds nothing; a probe that fails with I/O errors is a 503.
        var empty = await http.GetFromJsonAsync<JsonObject>("/v1/artifacts");
        Assert.Empty(empty!["artifacts"]!.AsArray());

        Directory.CreateDirectory(Path.Combine(_root, "m"));
        await File.WriteAllTextAsync(Path.Combine(_root, "m", "w.bin"), "w");
        var (app2, http2) = await StartAsync(_root, new ArtifactInventory(new ThrowingProbe()));
        await using var ___ = app2;
        using var ____ = http2;
        using var response = await http2.GetAsync(new Uri("/v1/artifacts", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("artifacts_unreadable", error!["error"]!["code"]!.GetValue<string>());
    }

    private sealed class ThrowingProbe : IPageCacheProbe
    {
        public string Name => "throwing";

        public long? ResidentBytes(string path, long length) => throw new IOException("disk gone");
    }
}
