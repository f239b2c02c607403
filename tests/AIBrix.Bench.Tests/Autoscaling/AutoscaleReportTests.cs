using AIBrix.Bench.Autoscaling;
using AIBrix.Bench.Replay;

namespace AIBrix.Bench.Tests.Autoscaling;

public sealed class AutoscaleReportTests
{
    [Fact]
    public void Write_EveryStrategy_TableAgainstHpaAndOracleWithAPanelEach()
    {
        const string spec = "gen:burst?low=1&high=4&start=60&on=60&period=600&duration=240&output=64";
        var trace = TraceReader.Read(spec);
        var runs = AutoscaleOptions.Strategies.Select(a => new AutoscaleOptions
        {
            Replay = new ReplayOptions { TracePath = spec, Policy = "least-request" },
            Autoscaler = a,
            Metric = ScalingMetrics.Running,
            Target = 4,
            Max = 6,
            PodStartupSeconds = 30,
        }).ToList();
        string dir = Path.Combine(Path.GetTempPath(), "autoscale-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            string report = File.ReadAllText(AutoscaleReport.Write(dir, AutoscaleCompareCommand.Run(runs, trace), trace, "aibrix-bench autoscale-compare ..."));

            Assert.Contains("| hpa |", report, StringComparison.Ordinal);
            Assert.Contains("| oracle |", report, StringComparison.Ordinal);
            Assert.Contains("p99 TTFT vs HPA", report, StringComparison.Ordinal);
            Assert.Contains("pod-s vs oracle", report, StringComparison.Ordinal);
            foreach (string file in new[] { "replicas-hpa.png", "replicas-kpa.png", "replicas-apa.png", "replicas-oracle.png", "ttft-cdf.png", "results.json" })
            {
                Assert.True(new FileInfo(Path.Combine(dir, file)).Length > 0, file);
                Assert.True(file.EndsWith(".json", StringComparison.Ordinal) || report.Contains($"]({file})", StringComparison.Ordinal), file);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
