using AIBrix.Bench.Autoscaling;
using AIBrix.Bench.Autoscaling.ColdStart;
using AIBrix.Bench.Replay;
using AIBrix.Cli;

namespace AIBrix.Bench.Tests.Autoscaling.ColdStart;

/// <summary>Start-up time by artifact tier in the closed loop, and the placement hint that steers pods to warm nodes.</summary>
public sealed class ColdStartSimulationTests
{
    // 1 req/s, then a step to 20 req/s at 10 s that lasts: one scale-up from 1 to 8 pods, no scale-down.
    private const string Step = "gen:burst?low=1&high=20&start=10&on=110&period=110&duration=110&input=512&output=64&seed=4";
    private static readonly IReadOnlyList<TraceRequest> StepTrace = TraceReader.Read(Step);

    private static AutoscaleResult Run(bool hint) => AutoscaleRun.Run(new AutoscaleOptions
    {
        Replay = new ReplayOptions { TracePath = Step, Policy = "least-request", Seed = 1 },
        Autoscaler = "kpa",
        Metric = ScalingMetrics.Running,
        Target = 16,
        Min = 1,
        Max = 8,
        ColdStart = new ColdStartOptions { Startup = new StartupModel(60, 20, 5), Nodes = 16, WarmMemory = 2, WarmDisk = 5, PlacementHint = hint },
    }, StepTrace);

    [Fact]
    public void StartupModel_ParsesTiersAndRefusesJunk()
    {
        Assert.Equal(new StartupModel(100, 30, 5), StartupModel.Parse("remote:100, disk:30,memory:5", out _));
        Assert.Equal(new StartupModel(DiskSeconds: 10), StartupModel.Parse("disk:10", out _));
        Assert.Null(StartupModel.Parse("cloud:5", out string? error));
        Assert.Contains("'cloud'", error, StringComparison.Ordinal);
        Assert.Null(StartupModel.Parse("disk:-1", out _));
    }

    [Fact]
    public void Pool_WithHint_FillsMemoryThenDiskNodesBeforeCold()
    {
        var pool = new NodePool(new ColdStartOptions { Nodes = 10, WarmMemory = 1, WarmDisk = 2, PlacementHint = true }, initialPods: 1, seed: 0);

        var tiers = Enumerable.Range(1, 5).Select(pool.Place).ToList();

        Assert.Equal([ArtifactTier.Memory, ArtifactTier.Disk, ArtifactTier.Disk, ArtifactTier.Remote, ArtifactTier.Remote], tiers);
        pool.Release(5);
        Assert.Equal(ArtifactTier.Memory, pool.Place(6)); // the node pod 5 left keeps the model in memory
    }

    [Fact]
    public void ScaleUp_WithHint_EightPodsReadySoonerAndFewerDownloads()
    {
        var without = Run(hint: false).Summarise();
        var with = Run(hint: true).Summarise();

        Assert.Equal(8, with.PeakPods);
        Assert.Equal(7, with.ColdStart!.StartedFromMemory + with.ColdStart.StartedFromDisk + with.ColdStart.StartedFromRemote);
        Assert.Equal(2, with.ColdStart.StartedFromMemory);
        Assert.Equal(5, with.ColdStart.StartedFromDisk);
        Assert.True(without.ColdStart!.StartedFromRemote > 0, "some pods download without the hint");
        Assert.True(with.ColdStart.SecondsUntilMaxReady < (without.ColdStart.SecondsUntilMaxReady ?? double.PositiveInfinity),
            $"{with.ColdStart.SecondsUntilMaxReady} vs {without.ColdStart.SecondsUntilMaxReady}");
        Assert.True(with.TtftP99Ms < without.TtftP99Ms, $"TTFT p99 {with.TtftP99Ms} vs {without.TtftP99Ms}");
    }

    [Theory]
    [InlineData("--startup-model", "remote:x", "--startup-model")]
    [InlineData("--placement-hint", null, "need --startup-model")]
    public async Task Autoscale_BadColdStartInput_Exit2(string option, string? value, string expected)
    {
        var err = new StringWriter();
        string[] args = value is null ? ["autoscale", "--trace", "gen:burst?duration=10", option] : ["autoscale", "--trace", "gen:burst?duration=10", option, value];

        int code = await CliRunner.InvokeAsync(Program.CreateCommand(), args, Program.Tool, new StringWriter(), err);

        Assert.Equal(2, code);
        Assert.Contains(expected, err.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Autoscale_WarmNodesThatDoNotFit_Exit2()
    {
        var err = new StringWriter();
        int code = await CliRunner.InvokeAsync(Program.CreateCommand(),
            ["autoscale", "--trace", "gen:burst?duration=10", "--startup-model", "remote:100", "--nodes", "4", "--max", "4", "--warm-nodes", "memory:2,disk:2"], Program.Tool, new StringWriter(), err);

        Assert.Equal(2, code);
        Assert.Contains("--warm-nodes", err.ToString(), StringComparison.Ordinal);
    }
}
