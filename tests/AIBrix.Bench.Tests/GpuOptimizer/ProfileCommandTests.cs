using AIBrix.Cli;
using AIBrix.GpuOptimizer;
using AIBrix.GpuOptimizer.Redis;
using AIBrix.Gateway.Redis.Tests;
using StackExchange.Redis;

namespace AIBrix.Bench.Tests.GpuOptimizer;

public sealed class ProfileCommandTests : IDisposable
{
    private const string Model = "meta-llama/Llama-3.1-8B-Instruct";
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("profile-").FullName;

    private Task<int> InvokeAsync(params string[] args) => CliRunner.InvokeAsync(Program.CreateCommand(), args, Program.Tool, _out, _err);

    private static readonly string[] Small = ["--model", Model, "--inputs", "128,512", "--outputs", "32", "--slo-ttft-ms", "1000", "--slo-tpot-ms", "80", "--requests", "20"];

    [Fact]
    public async Task InvokeAsync_Out_WritesAnAIBrixProfileFile()
    {
        string path = Path.Combine(_dir, "a10.json");

        Assert.Equal(0, await InvokeAsync(["profile", "--gpu", "a10", "--out", path, .. Small]));

        var read = await GpuProfileJson.ReadFileAsync(path);
        Assert.Empty(read.Errors);
        var profile = Assert.Single(read.Profiles);
        Assert.Equal("llama-3-1-8b-instruct-a10", profile.Gpu);
        Assert.Equal(1.0, profile.Cost);
        Assert.Equal(new[] { 32.0 }, profile.Grid.OutputTokens);
        Assert.Equal(new[] { 128.0, 512.0 }, profile.Grid.InputTokens);
        Assert.True(profile.Tputs[0, 0] > 0);
        Assert.Equal(new ProfileSlos { Percentile = 99, Ttft = 1.0, Tpot = 0.08 }, profile.Slos);
        Assert.Contains("wrote " + path, _out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_Redis_StoresUnderAIBrixKeyAndReadsBack()
    {
        await using var server = await RedisServer.StartAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.HostPort);
        await redis.GetDatabase().StringSetAsync(GpuProfileKeys.For(Model, "broken"), "{\"gpu\":\"broken\",\"cost\":-1}");

        Assert.Equal(0, await InvokeAsync(["profile", "--gpu", "L20", "--deployment", "llama-l20", "--cost", "1.5", "--redis", server.HostPort, .. Small]));

        string stored = (await redis.GetDatabase().StringGetAsync($"aibrix:profile_{Model}_llama-l20")).ToString();
        Assert.Contains("\"gpu\":\"llama-l20\"", stored, StringComparison.Ordinal);
        var read = await new RedisProfileStore(redis).LoadAsync(Model);
        var profile = Assert.Single(read.Profiles);
        Assert.Equal("llama-l20", profile.Gpu);
        Assert.Equal(1.5, profile.Cost);
        Assert.NotEmpty(read.Errors);
        Assert.All(read.Errors, error => Assert.StartsWith($"aibrix:profile_{Model}_broken", error, StringComparison.Ordinal));
        Assert.Empty((await new RedisProfileStore(redis).LoadAsync("other-model")).Profiles);
    }

    [Theory]
    [InlineData("aibrix-bench: give at least one SLO: --slo-ttft-ms, --slo-tpot-ms or --slo-e2e-ms", "profile", "--gpu", "A10", "--model", Model)]
    [InlineData("aibrix-bench: --gpu: unknown GPU 'V100': known are A10, L4, L20, L40S, A100, H100, H200", "profile", "--gpu", "V100", "--model", Model, "--slo-e2e-ms", "5000")]
    [InlineData("aibrix-bench: --inputs must be strictly ascending (512 then 128)", "profile", "--gpu", "A10", "--model", Model, "--slo-e2e-ms", "5000", "--inputs", "512,128")]
    [InlineData("aibrix-bench: --outputs: 'x' is not a whole number of at least 1", "profile", "--gpu", "A10", "--model", Model, "--slo-e2e-ms", "5000", "--outputs", "x")]
    [InlineData("aibrix-bench: --slo-ttft-ms: '0' is not a positive number", "profile", "--gpu", "A10", "--model", Model, "--slo-ttft-ms", "0")]
    [InlineData("aibrix-bench: Option '--gpu' is required.", "profile", "--model", Model, "--slo-ttft-ms", "100")]
    public async Task InvokeAsync_BadUsage_OneLineErrorAndExit2(string expected, params string[] args)
    {
        Assert.Equal(2, await InvokeAsync(args));

        Assert.Equal(expected, _err.ToString().Split(Environment.NewLine)[0]);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
