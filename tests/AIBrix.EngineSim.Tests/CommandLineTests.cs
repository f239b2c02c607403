using AIBrix.Cli;

namespace AIBrix.EngineSim.Tests;

public class CommandLineTests
{
    [Fact]
    public void Parse_AllFlags_MapToOptions()
    {
        var result = CommandLine.Parse(["--instances", "8", "--port=9000", "--model", "m", "--seed", "7", "--time-scale", "50",
            "--max-model-len", "8192", "--num-gpu-blocks", "1000", "--max-num-seqs", "64", "--max-num-batched-tokens", "4096",
            "--metrics-dialect", "sglang", "--max-loras", "2", "--lora-load-time", "100", "--output-len-mean", "10", "--no-prefix-caching"]);

        Assert.Empty(result.Errors);
        var o = result.Options!;
        Assert.Equal((8, 9000, "m", 7L, 50.0), (o.Instances, o.Port, o.Model, o.Seed, o.TimeScale));
        Assert.Equal((8192, 1000, 64, 4096), (o.MaxModelLen, o.NumGpuBlocks, o.MaxNumSeqs, o.MaxNumBatchedTokens));
        Assert.Equal(MetricsDialect.SGLang, o.MetricsDialect);
        Assert.Equal(TimeSpan.FromMilliseconds(100), o.LoraLoadTime);
        Assert.False(o.EnablePrefixCaching);
    }

    [Fact]
    public void Parse_SeveralBadFlags_ReportsEveryError()
    {
        var result = CommandLine.Parse(["--instances", "zero", "--bogus", "--time-scale", "-1", "--metrics-dialect", "tgi"]);

        Assert.Null(result.Options);
        Assert.Contains(result.Errors, e => e.Contains("--instances", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Contains("--bogus", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Contains("--time-scale", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Contains("--metrics-dialect", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_ProfileFile_LoadsCoefficients()
    {
        string path = Path.GetTempFileName();
        File.WriteAllText(path, """{ "name": "a10", "stepOverheadMs": 25, "prefillMsPerToken": 0.6, "numGpuBlocks": 2000 }""");
        try
        {
            var o = CommandLine.Parse(["--profile", path]).Options!;

            Assert.Equal("a10", o.Profile.Name);
            Assert.Equal(0.6, o.Profile.PrefillMsPerToken);
            Assert.Equal(2000, o.ToEngineConfig().NumGpuBlocks);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Parse_KvEventFlags_MapToOptions()
    {
        var o = CommandLine.Parse(["--instances", "2", "--kv-events-port", "5557", "--kv-events-replay-port=5600", "--kv-events-topic", "kv",
            "--kv-events-encoding", "array", "--kv-events-buffer-steps", "50"]).Options!;

        Assert.Equal((5557, 5600, "kv", AIBrix.KvEvents.KvEventEncoding.Array, 50),
            (o.KvEventsPort, o.KvEventsReplayPort, o.KvEventsTopic, o.KvEventsEncoding, o.KvEventsReplayBufferSteps));
    }

    [Theory]
    [InlineData("--kv-events-replay-port needs --kv-events-port", "--kv-events-replay-port", "5600")]
    [InlineData("--kv-events-replay-port overlaps the --kv-events-port range", "--instances", "4", "--kv-events-port", "5557", "--kv-events-replay-port", "5559")]
    [InlineData("--kv-events-port must be 0 (dynamic) or leave room for all instances below 65536", "--instances", "4", "--kv-events-port", "65534")]
    [InlineData("--kv-events-encoding: 'json' is not map or array", "--kv-events-encoding", "json")]
    [InlineData("--kv-events-port: 'x' is not a port (0-65535)", "--kv-events-port", "x")]
    public void Parse_BadKvEventFlags_Explained(string expected, params string[] args)
    {
        Assert.Contains(expected, CommandLine.Parse(args).Errors);
    }

    [Fact]
    public void Parse_Gpu_SelectsRooflineForTheServedModel()
    {
        var o = CommandLine.Parse(["--gpu", "a10", "--model", "meta-llama/Llama-3.2-3B-Instruct"]).Options!;

        Assert.Same(GpuCatalog.A10, o.Gpu);
        var stepTime = Assert.IsType<RooflineStepTime>(o.ToEngineConfig().Profile);
        Assert.Same(ModelCatalog.Llama32_3B, stepTime.Model);
        Assert.Equal(stepTime.NumGpuBlocks, o.ToEngineConfig().NumGpuBlocks);
    }

    [Fact]
    public void Parse_UnknownGpu_ListsKnownOnes()
    {
        var result = CommandLine.Parse(["--gpu", "V100"]);

        Assert.Null(result.Options);
        string error = Assert.Single(result.Errors);
        Assert.Contains("--gpu: 'V100'", error, StringComparison.Ordinal);
        Assert.Contains("A10, L4, L20, L40S, A100, H100, H200", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_GpuWithModelTooLarge_ReportsWhyItDoesNotFit()
    {
        var result = CommandLine.Parse(["--gpu", "A10", "--model", "meta-llama/Llama-3.1-70B-Instruct"]);

        Assert.Null(result.Options);
        string error = Assert.Single(result.Errors);
        Assert.StartsWith("--gpu: Llama-3.1-70B does not fit on one A10", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_GpuWithUnknownModel_AsksForAKnownArchitecture()
    {
        var result = CommandLine.Parse(["--gpu", "L20", "--model", "my-model"]);

        string error = Assert.Single(result.Errors);
        Assert.Contains("'my-model' is not one the simulator knows", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_GpuAndProfile_Refused()
    {
        string path = Path.GetTempFileName();
        File.WriteAllText(path, """{ "name": "a10", "stepOverheadMs": 25 }""");
        try
        {
            var result = CommandLine.Parse(["--gpu", "A10", "--profile", path]);

            Assert.Contains(result.Errors, e => e.Contains("--gpu and --profile cannot be combined", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Parse_Help_RequestsHelp()
    {
        Assert.True(CommandLine.Parse(["--help"]).HelpRequested);
    }

    [Fact]
    public void Parse_NoFlags_Defaults()
    {
        var result = CommandLine.Parse([]);

        Assert.Empty(result.Errors);
        Assert.Equal(new SimulatorOptions(), result.Options);
    }

    [Fact]
    public void Parse_InlineValues_SameAsSeparate()
    {
        var inline = CommandLine.Parse(["--instances=3", "--host=0.0.0.0", "--time-scale=2.5", "--metrics-dialect=vllm-v0", "--lora-load-time=0"]).Options!;
        var separate = CommandLine.Parse(["--instances", "3", "--host", "0.0.0.0", "--time-scale", "2.5", "--metrics-dialect", "vllm-v0", "--lora-load-time", "0"]).Options!;

        Assert.Equal(separate, inline);
        Assert.Equal((3, "0.0.0.0", 2.5, MetricsDialect.VllmV0, TimeSpan.Zero), (inline.Instances, inline.Host, inline.TimeScale, inline.MetricsDialect, inline.LoraLoadTime));
    }

    [Theory]
    [InlineData("aibrix-enginesim: --instances must be between 1 and 256", "--instances", "0")]
    [InlineData("aibrix-enginesim: --port: '70000' is not a port (0-65535)", "--port=70000")]
    [InlineData("aibrix-enginesim: --time-scale: '0' is not a positive number", "--time-scale", "0")]
    [InlineData("aibrix-enginesim: Required argument missing for option: '--model'.", "--model")]
    [InlineData("aibrix-enginesim: Unrecognized command or argument '--gpus'.", "--gpus", "2")]
    public async Task InvokeAsync_BadUsage_OneLineErrorExit2AndNoEngineStarts(string expected, params string[] args)
    {
        var error = new StringWriter();
        bool started = false;

        int code = await CliRunner.InvokeAsync(CommandLine.CreateCommand((_, _) => { started = true; return Task.FromResult(0); }), args, CommandLine.Tool, TextWriter.Null, error);

        Assert.Equal(2, code);
        Assert.False(started);
        Assert.Equal(expected, error.ToString().Split(Environment.NewLine)[0]);
        Assert.EndsWith("Run 'aibrix-enginesim --help' for usage." + Environment.NewLine, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_Help_EveryFlagWithItsDefault()
    {
        var output = new StringWriter();

        int code = await CliRunner.InvokeAsync(CommandLine.CreateCommand((_, _) => Task.FromResult(1)), ["--help"], CommandLine.Tool, output, TextWriter.Null);

        Assert.Equal(0, code);
        string help = output.ToString();
        foreach (string pattern in new[]
        {
            @"--instances <N>\s+engines to start.*\[default: 1\]", @"--port <PORT>\s+first port.*\[default: 8000\]", @"--host <ADDRESS>\s+bind address \[default: 127\.0\.0\.1\]",
            @"--model <NAME>\s+served model \[default: meta-llama/Llama-3\.1-8B-Instruct\]", @"--time-scale <X>\s+.*\[default: 1\]",
            @"--num-gpu-blocks <N>\s+.*\[default: the profile's, else 29952\]", @"--metrics-dialect <vllm-v1\|vllm-v0\|sglang>\s+.*\[default: vllm-v1\]",
            @"--lora-load-time <MS>\s+.*\[default: 500\]", @"--no-prefix-caching\s+disable prefix caching",
            @"--kv-events-port <PORT>\s+.*\[default: off\]", @"--kv-events-encoding <map\|array>\s+.*\[default: map\]",
        })
        {
            Assert.Matches("(?m)" + pattern + "\\r?$", help);
        }
    }
}
