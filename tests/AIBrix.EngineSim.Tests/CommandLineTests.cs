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
        Assert.Contains("--gpu 'V100'", error, StringComparison.Ordinal);
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
}
