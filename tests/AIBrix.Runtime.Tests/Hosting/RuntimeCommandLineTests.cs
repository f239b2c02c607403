using AIBrix.Cli;
using AIBrix.EngineMetrics;

namespace AIBrix.Runtime.Tests.Hosting;

public class RuntimeCommandLineTests
{
    private static async Task<(int Exit, RuntimeOptions? Options, string Error)> RunAsync(string[] args, Dictionary<string, string>? env = null)
    {
        RuntimeOptions? seen = null;
        var command = RuntimeCommandLine.CreateCommand((o, _) => { seen = o; return Task.FromResult(0); }, name => env?.GetValueOrDefault(name));
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = await CliRunner.InvokeAsync(command, args, RuntimeCommandLine.Tool, output, error);
        return (exit, seen, error.ToString());
    }

    [Fact]
    public async Task Invoke_Flags_BindEveryOption()
    {
        var (exit, o, _) = await RunAsync(["--port", "9090", "--engine-url", "http://10.0.0.5:8000", "--engine", "sglang", "--models-dir", "/data/models",
            "--keep-original-metrics", "false", "--metrics-cache-ms", "250"]);

        Assert.Equal(0, exit);
        Assert.Equal(9090, o!.Port);
        Assert.Equal(new Uri("http://10.0.0.5:8000"), o.EngineUrl);
        Assert.Equal(EngineKind.Sglang, o.Engine);
        Assert.Equal("/data/models", o.ModelsDir);
        Assert.False(o.KeepOriginalMetrics);
        Assert.Equal(TimeSpan.FromMilliseconds(250), o.MetricsCacheTtl);
    }

    [Fact]
    public async Task Invoke_AibrixEnvironment_FillsWhatFlagsLeaveOut()
    {
        var env = new Dictionary<string, string>
        {
            ["INFERENCE_ENGINE"] = "llamacpp",
            ["INFERENCE_ENGINE_ENDPOINT"] = "http://localhost:8080",
            ["INFERENCE_ENGINE_VERSION"] = "b4500",
            ["DOWNLOADER_LOCAL_DIR"] = "/mnt/models",
            ["METRIC_SCRAPE_PATH"] = "/custom/metrics",
        };

        var (exit, o, _) = await RunAsync(["--port", "0"], env);
        var (_, flagWins, _) = await RunAsync(["--engine", "vllm", "--engine-url", "http://e:1"], env);

        Assert.Equal(0, exit);
        Assert.Equal(EngineKind.LlamaCpp, o!.Engine);
        Assert.Equal(new Uri("http://localhost:8080"), o.EngineUrl);
        Assert.Equal("b4500", o.EngineVersion);
        Assert.Equal("/mnt/models", o.ModelsDir);
        Assert.Equal("/custom/metrics", o.MetricsPath);
        Assert.Equal(EngineKind.Vllm, flagWins!.Engine);
        Assert.Equal(new Uri("http://e:1"), flagWins.EngineUrl);
    }

    [Fact]
    public async Task Invoke_EngineAuto_LeavesTheEngineToThePage()
    {
        var (_, o, _) = await RunAsync(["--engine", "auto"]);

        Assert.Null(o!.Engine);
    }

    [Theory]
    [InlineData(new[] { "--port", "http" }, "--port: 'http' is not a port")]
    [InlineData(new[] { "--engine", "tgi" }, "--engine: 'tgi' is not vllm, sglang, llamacpp or auto")]
    [InlineData(new[] { "--engine-url", "localhost:8000" }, "--engine-url: 'localhost:8000' is not an http:// or https:// URL")]
    [InlineData(new[] { "--keep-original-metrics", "maybe" }, "--keep-original-metrics: 'maybe' is not true or false")]
    [InlineData(new[] { "--models-dir", "relative" }, "--models-dir: 'relative' is not an absolute path")]
    [InlineData(new[] { "--no-such-flag" }, "--no-such-flag")]
    public async Task Invoke_BadUsage_OneLineErrorAndExit2(string[] args, string expected)
    {
        var (exit, o, error) = await RunAsync(args);

        Assert.Equal(2, exit);
        Assert.Null(o);
        Assert.Contains(expected, error);
        Assert.StartsWith("aibrix-runtime: ", error);
    }

    [Theory]
    [InlineData("INFERENCE_ENGINE", "triton", "INFERENCE_ENGINE: 'triton' is not")]
    [InlineData("INFERENCE_ENGINE_ENDPOINT", "not a url", "INFERENCE_ENGINE_ENDPOINT: 'not a url' is not an http")]
    public async Task Invoke_BadEnvironment_OneLineErrorAndExit2(string name, string value, string expected)
    {
        var (exit, o, error) = await RunAsync([], new Dictionary<string, string> { [name] = value });

        Assert.Equal(2, exit);
        Assert.Null(o);
        Assert.Contains(expected, error);
    }
}
