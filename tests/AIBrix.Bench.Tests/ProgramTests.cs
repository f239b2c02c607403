using AIBrix.Cli;

namespace AIBrix.Bench.Tests;

/// <summary><c>aibrix-bench</c>'s command lines: every command has help, takes <c>--opt=value</c> and refuses bad usage with exit 2.</summary>
public sealed class ProgramTests
{
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    private Task<int> InvokeAsync(params string[] args) => CliRunner.InvokeAsync(Program.CreateCommand(), args, Program.Tool, _out, _err);

    public static TheoryData<string, string[]> CommandsAndOptions() => new()
    {
        { "replay", ["--trace <FILE>", "--pods <N>", "--policy <NAME>", "--virtual-time", "--gateway <URL>", "--time-scale <X>", "--json", "--seed <S>", "--limit <N>", "--scrape-interval-ms <MS>", "--num-gpu-blocks <B>", "--max-model-len <N>", "--gateways <N>", "--share-prefill-clocks", "--kv-cost-engine-queue"] },
        { "compare", ["--trace <FILE>", "--pods <N>", "--policies <A,B,C>", "--out <DIR>", "--time-scale <X>", "--seed <S>", "--limit <N>", "--scrape-interval-ms <MS>", "--num-gpu-blocks <B>", "--max-model-len <N>", "--gateways <N,M>"] },
        { "extproc-load", ["--target <HOST:PORT>", "--model <NAME>", "--concurrency <N>", "--requests <N>", "--warmup <N>", "--gateway-pid <PID>", "--prompt-bytes <BYTES>", "--strategy <NAME>", "--rate <R>", "--gateway-metrics <URL>"] },
        { "http-load", ["--url <URL[,URL...]>", "--model <NAME>", "--rate <R>", "--duration <S>", "--warmup <S>", "--concurrency <N>", "--max-tokens <N>", "--no-stream"] },
        { "sim-load", ["--url-base <URL>", "--instances <N>", "--duration <S>", "--concurrency <N>", "--warmup <S>", "--max-tokens <N>", "--time-scale <X>", "--stream"] },
        { "limits-load", ["--redis <HOST:PORT>", "--concurrency <N>", "--admissions <N>", "--tpm <N>", "--streams <N>", "--stream-seconds <S>"] },
        { "limits-recovery", ["--rounds <N>", "--down-ms <MS>", "--redis-server <PATH>", "--json"] },
        { "profile", ["--gpu <NAME>", "--model <NAME>", "--deployment <NAME>", "--cost <X>", "--out <FILE>", "--redis <HOST:PORT>", "--inputs <N,N,...>", "--outputs <N,N,...>", "--requests <N>", "--slo-ttft-ms <MS>", "--slo-tpot-ms <MS>", "--slo-e2e-ms <MS>", "--slo-percentile <P>"] },
        { "gpu-plan", ["--workload <FILE>", "--gpus <A,B>", "--model <NAME>", "--profiles <DIR>", "--policy <NAME>", "--headroom <X>", "--max-input <N>", "--target-attainment <X>", "--json", "--slo-ttft-ms <MS>"] },
        { "autoscale", ["--trace <FILE>", "--autoscaler <hpa|kpa|apa|oracle>", "--metric <NAME>", "--target <V>", "--min <N>", "--max <N>", "--interval-s <S>", "--pod-startup-s <S>", "--policy <NAME>", "--time-scale <X>", "--seed <S>", "--virtual-time", "--json", "--set <KEY=VALUE>"] },
        { "soak", ["--minutes <N>", "--rate <R>", "--mode <extproc|standalone|both>", "--seed <S>", "--report <DIR>", "--json", "--redis <HOST:PORT|cluster>", "--redis-server <PATH>", "--pods <N>", "--hostile <X>", "--leak-mb-per-min <MB>", "--warmup-s <N>", "--no-faults"] },
        { "autoscale-compare", ["--trace <FILE>", "--autoscalers <A,B>", "--out <DIR>", "--metric <NAME>", "--target <V>", "--pod-startup-s <S>", "--set <KEY=VALUE>"] },
    };

    [Theory]
    [MemberData(nameof(CommandsAndOptions))]
    public async Task InvokeAsync_CommandHelp_ListsEveryOption(string command, string[] options)
    {
        Assert.Equal(0, await InvokeAsync(command, "--help"));

        string help = _out.ToString();
        Assert.All(options, option => Assert.Contains(option, help, StringComparison.Ordinal));
        Assert.Equal("", _err.ToString());
    }

    [Theory]
    [InlineData("extproc-load", @"--concurrency <N>\s+.*\[default: 32\]")]
    [InlineData("http-load", @"--rate <R>\s+.*\[default: 200\]")]
    [InlineData("sim-load", @"--time-scale <X>\s+.*\[default: 100\]")]
    [InlineData("limits-load", @"--tpm <N>\s+.*\[default: 100000\]")]
    [InlineData("limits-recovery", @"--down-ms <MS>\s+.*\[default: 1000\]")]
    [InlineData("replay", @"--scrape-interval-ms <MS>\s+.*\[default: 50\]")]
    [InlineData("replay", @"--max-model-len <N>\s+.*\[default: 32768\]")]
    [InlineData("soak", @"--warmup-s <N>\s+.*\[default: 60\]")]
    public async Task InvokeAsync_CommandHelp_ShowsDefaults(string command, string pattern)
    {
        Assert.Equal(0, await InvokeAsync(command, "--help"));

        Assert.Matches(pattern, _out.ToString());
    }

    [Fact]
    public async Task InvokeAsync_TopLevelHelp_ListsEveryCommand()
    {
        Assert.Equal(0, await InvokeAsync("--help"));

        foreach (string command in new[] { "micro", "extproc-load", "sim-load", "http-load", "limits-load", "limits-recovery", "replay", "compare" })
        {
            Assert.Contains("  " + command + " ", _out.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("aibrix-bench: --pods: '0' is not a whole number of at least 1", "replay", "--trace", "t.jsonl", "--pods=0", "--virtual-time")]
    [InlineData("aibrix-bench: choose one of --virtual-time and --gateway URL", "replay", "--trace=t.jsonl")]
    [InlineData("aibrix-bench: Option '--trace' is required.", "replay", "--virtual-time")]
    [InlineData("aibrix-bench: --gateway: 'not a url' is not an http:// or https:// URL", "replay", "--trace", "t", "--gateway", "not a url")]
    [InlineData("aibrix-bench: Option '--out' is required.", "compare", "--trace", "t", "--policies", "random")]
    [InlineData("aibrix-bench: --gateways: '0' is not a whole number between 1 and 64", "compare", "--trace", "t", "--policies", "random", "--out", "o", "--gateways", "1,0")]
    [InlineData("aibrix-bench: --gateways applies to --virtual-time (a live gateway has the replicas it has)", "replay", "--trace", "t", "--gateway", "http://x", "--gateways", "2")]
    [InlineData("aibrix-bench: --concurrency: '0' is not a whole number of at least 1", "extproc-load", "--model", "m", "--concurrency=0")]
    [InlineData("aibrix-bench: Option '--model' is required.", "extproc-load")]
    [InlineData("aibrix-bench: --warmup-s: '-5' is not a number of at least 0", "soak", "--warmup-s=-5")]
    [InlineData("aibrix-bench: --rate: '-1' is not a number of at least 0", "http-load", "--url", "http://x", "--model", "m", "--rate=-1")]
    [InlineData("aibrix-bench: Unrecognized command or argument '--bogus'.", "sim-load", "--bogus")]
    [InlineData("aibrix-bench: --tpm: 'lots' is not a whole number of at least 1", "limits-load", "--tpm", "lots")]
    [InlineData("aibrix-bench: Required argument missing for option: '--rounds'.", "limits-recovery", "--rounds")]
    public async Task InvokeAsync_BadUsage_OneLineErrorAndExit2(string expected, params string[] args)
    {
        Assert.Equal(2, await InvokeAsync(args));

        string[] lines = _err.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected, lines[0]);
        Assert.Equal($"Run 'aibrix-bench {args[0]} --help' for usage.", lines[^1]);
    }

    [Fact]
    public async Task InvokeAsync_ReplayInlineValues_RunsAVirtualReplay()
    {
        string trace = Path.Combine(Path.GetTempPath(), $"aibrix-cli-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(trace, Enumerable.Range(0, 5).Select(i => $$"""{"timestamp": {{i * 100}}, "input_length": 64, "output_length": 4, "hash_ids": [{{i}}]}"""));
        var stdout = Console.Out;
        var captured = new StringWriter();
        Console.SetOut(captured);
        try
        {
            Assert.Equal(0, await InvokeAsync("replay", "--trace=" + trace, "--pods=2", "--policy=least-request", "--virtual-time", "--json", "--limit=4"));
        }
        finally
        {
            Console.SetOut(stdout);
            File.Delete(trace);
        }

        Assert.Contains("\"policy\":\"least-request\",\"gateways\":1,\"pods\":2", captured.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"requests\":4", captured.ToString(), StringComparison.Ordinal);
    }
}
