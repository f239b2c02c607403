using AIBrix.Bench.Replay;

namespace AIBrix.Bench.Tests.Replay;

public sealed class ReplayReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aibrix-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Write_SmallComparison_MarkdownAndPlotsExist()
    {
        var template = new ReplayOptions { TracePath = "shared.jsonl", Pods = 2 };
        var results = CompareCommand.Run(template, ["random", "oracle"], ReplayTestTraces.SharedPrefix(40, 3));

        string report = ReplayReport.Write(_dir, results, "aibrix-bench compare (test)");

        string markdown = File.ReadAllText(report);
        Assert.Contains("| random |", markdown, StringComparison.Ordinal);
        Assert.Contains("| oracle |", markdown, StringComparison.Ordinal);
        foreach (string png in new[] { "ttft-cdf.png", "hit-rate.png", "pod-load-random.png", "pod-load-oracle.png" })
        {
            Assert.Contains($"]({png})", markdown, StringComparison.Ordinal);
            Assert.True(new FileInfo(Path.Combine(_dir, png)).Length > 1000, png);
        }

        Assert.True(new FileInfo(Path.Combine(_dir, "results.json")).Length > 0);
    }

    [Fact]
    public void Write_OneAndTwoGateways_ReportComparesTheReplicas()
    {
        var template = new ReplayOptions { TracePath = "shared.jsonl", Pods = 2 };
        var results = CompareCommand.Run(template, ["random", "prefix-cache"], ReplayTestTraces.SharedPrefix(40, 3), [1, 2]);

        string markdown = File.ReadAllText(ReplayReport.Write(_dir, results, "aibrix-bench compare (test)"));

        Assert.Equal(4, results.Count);
        Assert.Contains("| prefix-cache ×2 gateways |", markdown, StringComparison.Ordinal);
        Assert.Contains("## Gateway replicas", markdown, StringComparison.Ordinal);
        Assert.Contains("| prefix-cache | 2 |", markdown, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir, "pod-load-prefix-cache-x2.png")));
        // The replica figures sit in the report's replica section, after its table.
        int section = markdown.IndexOf("## Gateway replicas", StringComparison.Ordinal);
        foreach (string png in new[] { "replicas-ttft-p90.png", "replicas-hit-rate.png" })
        {
            Assert.True(markdown.IndexOf($"]({png})", StringComparison.Ordinal) > section, png);
            Assert.True(new FileInfo(Path.Combine(_dir, png)).Length > 1000, png);
        }
    }

    [Fact]
    public void Write_OneGatewayOnly_NoReplicaSection()
    {
        var template = new ReplayOptions { TracePath = "shared.jsonl", Pods = 2 };
        var results = CompareCommand.Run(template, ["random"], ReplayTestTraces.SharedPrefix(20, 2));

        string markdown = File.ReadAllText(ReplayReport.Write(_dir, results, "aibrix-bench compare (test)"));

        Assert.DoesNotContain("## Gateway replicas", markdown, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "replicas-ttft-p90.png")));
    }
}
