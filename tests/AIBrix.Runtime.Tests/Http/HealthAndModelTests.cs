using AIBrix.Runtime.Artifacts;
using AIBrix.Runtime.Artifacts.Sources;

namespace AIBrix.Runtime.Tests.Http;

public class HealthAndModelTests
{
    [Fact]
    public async Task Ready_EngineGoesDown_FlipsTo503WhileHealthzStays200()
    {
        await using var rt = await RuntimeUnderTest.StartAsync();

        var (readyBefore, _) = await rt.GetAsync("/ready");
        await rt.StopEngineAsync();
        var (readyAfter, body) = await rt.GetAsync("/ready");
        var (health, healthBody) = await rt.GetAsync("/healthz");

        Assert.Equal(200, readyBefore);
        Assert.Equal(503, readyAfter);
        Assert.Contains("not ready", body);
        Assert.Equal(200, health);
        Assert.Contains("ok", healthBody);
    }

    [Fact]
    public async Task ModelList_FoldersUnderModelsDir_ListedAsDownloaded()
    {
        await using var rt = await RuntimeUnderTest.StartAsync();
        var options = (RuntimeOptions)rt.Runtime.App.Services.GetService(typeof(RuntimeOptions))!;
        Directory.CreateDirectory(Path.Combine(options.ModelsDir, "llama-8b"));
        File.WriteAllText(Path.Combine(options.ModelsDir, "llama-8b", "config.json"), "{}");
        Directory.CreateDirectory(Path.Combine(options.ModelsDir, "org", "qwen"));
        File.WriteAllText(Path.Combine(options.ModelsDir, "org", "qwen", "model.safetensors"), "x");
        Directory.CreateDirectory(Path.Combine(options.ModelsDir, "empty"));

        var (status, body) = await rt.GetAsync("/v1/model/list");

        Assert.Equal(200, status);
        using var doc = System.Text.Json.JsonDocument.Parse(body);
        Assert.Equal("list", doc.RootElement.GetProperty("object").GetString());
        var names = doc.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("model_name").GetString()!).ToArray();
        Assert.Equal(new[] { "llama-8b", "org/qwen" }, names);
        Assert.All(doc.RootElement.GetProperty("data").EnumerateArray(), m => Assert.Equal("downloaded", m.GetProperty("model_status").GetString()));
    }

    [Theory]
    [InlineData("{}", "missing_required_parameter")]
    [InlineData("{\"model_uri\":\"gopher://x/y\"}", "invalid_artifact_url")]
    [InlineData("{\"model_uri\":\"justaname\"}", "invalid_artifact_url")]
    [InlineData("{\"model_uri\":\"s3://Bad_Bucket/x\"}", "invalid_artifact_url")]
    [InlineData("{\"model_uri\":\"hf://org/m\",\"model_name\":\"../up\"}", "invalid_value")]
    [InlineData("{\"model_uri\":\"hf://org/m\",\"local_dir\":\"not/absolute\"}", "invalid_value")]
    [InlineData("{\"model_uri\":\"hf://org/m\",\"download_extra_config\":\"x\"}", "invalid_type")]
    [InlineData("{\"model_uri\":\"hf://org/m\",\"other\":1}", "unknown_field")]
    [InlineData("not json", "invalid_json")]
    public async Task Download_BadInput_400(string body, string expectedCode)
    {
        await using var rt = await RuntimeUnderTest.StartAsync();

        var (status, answer) = await rt.PostAsync("/v1/model/download", body);

        Assert.Equal(400, status);
        Assert.Equal(expectedCode, RuntimeUnderTest.ErrorCode(answer));
    }

    [Theory]
    [InlineData("/v1/model/download", "model_uri", "{{\"model_uri\":\"{0}\"}}")]
    [InlineData("/v1/lora_adapter/load", "artifact_url", "{{\"lora_name\":\"x\",\"artifact_url\":\"{0}\"}}")]
    public async Task BadArtifactUri_RefusedWithTheDownloadersOwnMessage(string route, string param, string template)
    {
        await using var rt = await RuntimeUnderTest.StartAsync();
        string[] uris = ["gopher://x/y", "hf://org/name/extra", "s3://b", "s3://bucket/../etc", "justaname", "file://relative/x"];

        foreach (string uri in uris)
        {
            var (status, answer) = await rt.PostAsync(route, string.Format(System.Globalization.CultureInfo.InvariantCulture, template, uri));

            using var doc = System.Text.Json.JsonDocument.Parse(answer);
            var error = doc.RootElement.GetProperty("error");
            Assert.Equal(400, status);
            Assert.Equal("invalid_artifact_url", error.GetProperty("code").GetString());
            Assert.Equal(param, error.GetProperty("param").GetString());
            var expected = Assert.Throws<ArtifactException>(() => ArtifactSourceParser.KindOf(uri));
            Assert.Equal(expected.Message, error.GetProperty("message").GetString());
        }
    }

    [Fact]
    public async Task UnknownRoute_404InTheErrorShape()
    {
        await using var rt = await RuntimeUnderTest.StartAsync();

        var (status, body) = await rt.GetAsync("/v1/nothing-here");

        Assert.Equal(404, status);
        Assert.Equal("unknown_route", RuntimeUnderTest.ErrorCode(body));
    }
}
