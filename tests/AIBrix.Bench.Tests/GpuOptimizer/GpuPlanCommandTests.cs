using System.Globalization;
using System.Text.Json;
using AIBrix.Cli;
using AIBrix.GpuOptimizer;

namespace AIBrix.Bench.Tests.GpuOptimizer;

public sealed class GpuPlanCommandTests : IDisposable
{
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("gpu-plan-").FullName;

    private Task<int> InvokeAsync(params string[] args) => CliRunner.InvokeAsync(Program.CreateCommand(), args, Program.Tool, _out, _err);

    /// <summary>Hand-made profiles (no profiling run): the A10 cannot serve long prompts, the L20 can.</summary>
    private string WriteProfiles()
    {
        var grid = new BucketGrid([64, 512], [256, 4096]);
        var slos = new ProfileSlos { Percentile = 99, Ttft = 8, Tpot = 0.2 };
        GpuProfile Profile(string gpu, double cost, double[][] tputs) => new()
        {
            Gpu = "llama-3-1-8b-instruct-" + gpu, Cost = cost, Grid = grid, Tputs = BucketMatrix.FromRows(tputs), Slos = slos,
        };

        string dir = Path.Combine(_dir, "profiles");
        Directory.CreateDirectory(dir);
        foreach (var p in new[] { Profile("a10", 1.0, [[3, 0], [1, 0]]), Profile("l20", 1.4, [[3.3, 0.6], [1.5, 0.4]]) })
        {
            File.WriteAllText(Path.Combine(dir, p.Gpu + ".json"), GpuProfileJson.Serialize(p));
        }

        return dir;
    }

    /// <summary>A Mooncake-format workload: 300 short chats and 20 long prompts over 100 s.</summary>
    private string WriteWorkload()
    {
        string path = Path.Combine(_dir, "mix.jsonl");
        var lines = new List<string>();
        for (int i = 0; i < 320; i++)
        {
            bool longPrompt = i % 16 == 0;
            int input = longPrompt ? 4000 : 200;
            int output = longPrompt ? 300 : 50;
            string ids = string.Join(",", Enumerable.Range(0, (input + 511) / 512).Select(b => (i * 10 + b).ToString(CultureInfo.InvariantCulture)));
            lines.Add(FormattableString.Invariant($"{{\"timestamp\": {i * 312}, \"input_length\": {input}, \"output_length\": {output}, \"hash_ids\": [{ids}]}}"));
        }

        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public async Task InvokeAsync_Json_EveryPlanWithCostAttainmentAndSaving()
    {
        Assert.Equal(0, await InvokeAsync("gpu-plan", "--workload", WriteWorkload(), "--gpus", "A10,L20", "--profiles", WriteProfiles(),
            "--slo-ttft-ms", "8000", "--slo-tpot-ms", "200", "--target-attainment", "0.5", "--json"));

        using var report = JsonDocument.Parse(_out.ToString());
        var root = report.RootElement;
        var a10 = root.GetProperty("homogeneous").GetProperty("A10");
        Assert.Equal(JsonValueKind.Null, a10.GetProperty("count").ValueKind);
        Assert.Contains("no GPU type can serve", a10.GetProperty("error").GetString(), StringComparison.Ordinal);
        var l20 = root.GetProperty("homogeneous").GetProperty("L20");
        int l20Count = l20.GetProperty("count").GetInt32();
        Assert.Equal(l20Count * 1.4, l20.GetProperty("cost_per_hour").GetDouble(), 6);
        Assert.InRange(l20.GetProperty("slo_attainment").GetDouble(), 0.5, 1);
        var mix = root.GetProperty("heterogeneous");
        int mixA10 = mix.GetProperty("allocation").GetProperty("A10").GetInt32();
        int mixL20 = mix.GetProperty("allocation").GetProperty("L20").GetInt32();
        Assert.True(mixA10 > 0, "short chats are cheaper on A10s");
        Assert.True(mixL20 > 0, "only L20s serve the long prompts");
        double mixCost = mix.GetProperty("cost_per_hour").GetDouble();
        Assert.Equal(mixA10 * 1.0 + mixL20 * 1.4, mixCost, 6);
        Assert.True(mixCost < l20Count * 1.4);
        Assert.Equal("L20", root.GetProperty("baseline").GetString());
        Assert.Equal(Math.Round(100 * (1 - mixCost / (l20Count * 1.4)), 2), root.GetProperty("saving_pct").GetDouble(), 6);
        Assert.Equal(320, root.GetProperty("requests").GetInt32());
    }

    [Theory]
    [InlineData("aibrix-bench: --gpus is required (e.g. A10,L20)", "gpu-plan", "--workload", "w.jsonl", "--slo-ttft-ms", "1000")]
    [InlineData("aibrix-bench: --workload is required", "gpu-plan", "--gpus", "A10", "--slo-ttft-ms", "1000")]
    [InlineData("aibrix-bench: --gpus: unknown GPU 'T4': known are A10, L4, L20, L40S, A100, H100, H200", "gpu-plan", "--workload", "w.jsonl", "--gpus", "A10,T4", "--slo-ttft-ms", "1000")]
    [InlineData("aibrix-bench: give at least one SLO: --slo-ttft-ms, --slo-tpot-ms or --slo-e2e-ms", "gpu-plan", "--workload", "w.jsonl", "--gpus", "A10")]
    [InlineData("aibrix-bench: --target-attainment must be at most 1", "gpu-plan", "--workload", "w.jsonl", "--gpus", "A10", "--slo-ttft-ms", "1000", "--target-attainment", "2")]
    public async Task InvokeAsync_BadUsage_OneLineErrorAndExit2(string expected, params string[] args)
    {
        Assert.Equal(2, await InvokeAsync(args));

        Assert.Equal(expected, _err.ToString().Split(Environment.NewLine)[0]);
    }

    [Fact]
    public async Task InvokeAsync_MissingWorkload_Exit2NamingIt()
    {
        Assert.Equal(2, await InvokeAsync("gpu-plan", "--workload", Path.Combine(_dir, "none.jsonl"), "--gpus", "A10", "--slo-ttft-ms", "1000", "--profiles", WriteProfiles()));

        Assert.Contains("trace file not found", _err.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
