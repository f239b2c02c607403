namespace AIBrix.Runtime.Tests.Http;

public class LoraAdapterTests
{
    [Fact]
    public async Task Load_DirectThroughVllm_EngineServesAdapterAndModelsProxyListsIt()
    {
        await using var rt = await RuntimeUnderTest.StartAsync();

        var (status, body) = await rt.PostAsync("/v1/lora_adapter/load", """{"lora_name":"sql-lora","lora_path":"/adapters/sql-lora"}""");
        var (modelsStatus, models) = await rt.GetAsync("/v1/models");

        Assert.Equal(200, status);
        Assert.Contains("sql-lora", body);
        Assert.Equal(200, modelsStatus);
        Assert.Contains("\"id\":\"sql-lora\"", models.Replace(" ", ""));
        Assert.True(rt.EngineInstance.Engine is not null);
    }

    [Fact]
    public async Task Unload_LoadedAdapter_GoneFromTheEngine()
    {
        await using var rt = await RuntimeUnderTest.StartAsync();
        await rt.PostAsync("/v1/lora_adapter/load", """{"lora_name":"a1","lora_path":"/adapters/a1"}""");

        var (status, _) = await rt.PostAsync("/v1/lora_adapter/unload", """{"lora_name":"a1"}""");
        var (_, models) = await rt.GetAsync("/v1/models");

        Assert.Equal(200, status);
        Assert.DoesNotContain("\"a1\"", models);
    }

    [Fact]
    public async Task Load_Twice_EngineRefusalPassedThroughWithItsStatus()
    {
        await using var rt = await RuntimeUnderTest.StartAsync();
        await rt.PostAsync("/v1/lora_adapter/load", """{"lora_name":"dup","lora_path":"/adapters/dup"}""");

        var (status, body) = await rt.PostAsync("/v1/lora_adapter/load", """{"lora_name":"dup","lora_path":"/adapters/dup"}""");

        Assert.Equal(400, status);
        Assert.Equal("lora_already_loaded", RuntimeUnderTest.ErrorCode(body));
    }

    [Fact]
    public async Task Unload_UnknownAdapter_Engine404PassedThrough()
    {
        await using var rt = await RuntimeUnderTest.StartAsync();

        var (status, body) = await rt.PostAsync("/v1/lora_adapter/unload", """{"lora_name":"never-loaded"}""");

        Assert.Equal(404, status);
        Assert.Equal("lora_not_found", RuntimeUnderTest.ErrorCode(body));
    }

    [Theory]
    [InlineData("{\"lora_name\":", 400, "invalid_json")]
    [InlineData("", 400, "invalid_json")]
    [InlineData("[1,2]", 400, "invalid_json")]
    [InlineData("{\"lora_path\":\"/a\"}", 400, "missing_required_parameter")]
    [InlineData("{\"lora_name\":\"\",\"lora_path\":\"/a\"}", 400, "missing_required_parameter")]
    [InlineData("{\"lora_name\":\"x\"}", 400, "missing_required_parameter")]
    [InlineData("{\"lora_name\":\"x\",\"lora_path\":\"/a\",\"artifact_url\":\"s3://bucket/x\"}", 400, "invalid_value")]
    [InlineData("{\"lora_name\":7,\"lora_path\":\"/a\"}", 400, "invalid_type")]
    [InlineData("{\"lora_name\":\"x\",\"lora_path\":\"/a\",\"surprise\":1}", 400, "unknown_field")]
    [InlineData("{\"lora_name\":\"x\",\"artifact_url\":\"ftp://host/x\"}", 400, "invalid_artifact_url")]
    [InlineData("{\"lora_name\":\"../etc\",\"artifact_url\":\"s3://bucket/x\"}", 400, "invalid_value")]
    [InlineData("{\"lora_name\":\"x\",\"artifact_url\":\"s3://bucket/x\",\"credentials\":[1]}", 400, "invalid_type")]
    [InlineData("{\"lora_name\":\"x\",\"artifact_url\":\"s3://bucket/x\",\"credentials_secret\":\"Not_A_Name\"}", 400, "invalid_value")]
    [InlineData("{\"lora_name\":\"x\",\"artifact_url\":\"s3://bucket/x\",\"credentials_secret\":\"absent-secret\"}", 400, "credentials_secret_not_found")]
    [InlineData("{\"lora_name\":\"x\",\"artifact_url\":\"s3://bucket/x\",\"local_dir\":\"relative/dir\"}", 400, "invalid_value")]
    public async Task Load_BadInput_ClearErrorWithStatus(string body, int expectedStatus, string expectedCode)
    {
        await using var rt = await RuntimeUnderTest.StartAsync();

        var (status, answer) = await rt.PostAsync("/v1/lora_adapter/load", body);

        Assert.Equal(expectedStatus, status);
        Assert.Equal(expectedCode, RuntimeUnderTest.ErrorCode(answer));
    }

    [Theory]
    [InlineData("{}", "missing_required_parameter")]
    [InlineData("{\"lora_name\":\"x\",\"cleanup_local\":\"yes\"}", "invalid_type")]
    [InlineData("{\"lora_name\":\"x\",\"lora_int_id\":1.5}", "invalid_type")]
    public async Task Unload_BadInput_400(string body, string expectedCode)
    {
        await using var rt = await RuntimeUnderTest.StartAsync();

        var (status, answer) = await rt.PostAsync("/v1/lora_adapter/unload", body);

        Assert.Equal(400, status);
        Assert.Equal(expectedCode, RuntimeUnderTest.ErrorCode(answer));
    }

    [Fact]
    public async Task Load_EngineDown_503EngineUnavailable()
    {
        await using var rt = await RuntimeUnderTest.StartAsync(o => o with { Engine = AIBrix.EngineMetrics.EngineKind.Vllm }, withEngine: false);

        var (status, body) = await rt.PostAsync("/v1/lora_adapter/load", """{"lora_name":"a","lora_path":"/adapters/a"}""");
        var (modelsStatus, models) = await rt.GetAsync("/v1/models");

        Assert.Equal(503, status);
        Assert.Equal("engine_unavailable", RuntimeUnderTest.ErrorCode(body));
        Assert.Equal(503, modelsStatus);
        Assert.Equal("engine_unavailable", RuntimeUnderTest.ErrorCode(models));
    }

    [Fact]
    public async Task Load_EngineFailsTheRequest_ItsStatusPassedThrough()
    {
        await using var rt = await RuntimeUnderTest.StartAsync();
        rt.EngineInstance.Faults = new AIBrix.EngineSim.FaultSettings { ErrorRate = 1 };

        var (status, body) = await rt.PostAsync("/v1/lora_adapter/load", """{"lora_name":"a","lora_path":"/adapters/a"}""");

        Assert.Equal(500, status);
        Assert.Contains("Injected fault", body);
    }

    [Fact]
    public async Task Load_DelegatedWithoutADownloader_501NotConfigured()
    {
        await using var rt = await RuntimeUnderTest.StartAsync(
            services: s => Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.RemoveAll<AIBrix.Runtime.Artifacts.IArtifactDownloader>(s));

        var (status, body) = await rt.PostAsync("/v1/lora_adapter/load", """{"lora_name":"a","artifact_url":"s3://bucket/adapters/a"}""");

        Assert.Equal(501, status);
        Assert.Equal("downloader_not_configured", RuntimeUnderTest.ErrorCode(body));
    }
}
