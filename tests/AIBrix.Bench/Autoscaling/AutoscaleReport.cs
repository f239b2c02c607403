using System.Globalization;
using System.Text;
using AIBrix.Bench.Replay;
using ScottPlot;

namespace AIBrix.Bench.Autoscaling;

/// <summary>Writes an autoscaling comparison as DIR/report.md, DIR/results.json and PNG plots beside them.</summary>
public static class AutoscaleReport
{
    private const int Width = 800, PanelHeight = 300, CdfHeight = 400;
    private const int MaxCurvePoints = 400;
    private const double RateBinSeconds = 10;

    /// <summary>Writes the report for <paramref name="results"/> over <paramref name="trace"/>; returns the markdown file's path.</summary>
    public static string Write(string directory, IReadOnlyList<AutoscaleResult> results, IReadOnlyList<TraceRequest> trace, string command)
    {
        Directory.CreateDirectory(directory);
        var summaries = results.Select(r => r.Summarise()).ToList();
        File.WriteAllText(Path.Combine(directory, "results.json"), "[\n" + string.Join(",\n", summaries.Select(s => s.ToJson())) + "\n]\n");
        var images = PlotReplicas(directory, results, trace);
        images.Add(("TTFT CDF", PlotTtftCdf(directory, results)));
        string path = Path.Combine(directory, "report.md");
        File.WriteAllText(path, Markdown(summaries, command, images));
        return path;
    }

    /// <summary>The table (each strategy against HPA and the oracle when they ran) and the plot links.</summary>
    public static string Markdown(IReadOnlyList<AutoscaleSummary> summaries, string command, IReadOnlyList<(string Title, string File)> images)
    {
        var first = summaries[0];
        var hpa = summaries.FirstOrDefault(s => s.Autoscaler == "hpa");
        var oracle = summaries.FirstOrDefault(s => s.Autoscaler == OracleScaler.Name);
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        md.AppendLine(inv, $"# Autoscaling: {first.Trace}, time scale x{first.TimeScale}")
          .AppendLine()
          .AppendLine(inv, $"{first.Metric} target {first.Target} per pod, {first.Min}-{first.Max} pods, a decision every {first.IntervalS} s, "
              + $"pods ready {first.PodStartupS} s after they are asked for, routing {first.Policy}, seed {first.Seed}, {first.Requests + first.Failed} requests. Command:")
          .AppendLine()
          .AppendLine("    " + command)
          .AppendLine()
          .AppendLine("| strategy | pod-seconds | mean pods | peak | scale events | reversals | TTFT p50 (s) | TTFT p99 (s) | E2E p99 (s) | output tok/s | failed |"
              + (hpa is null ? "" : " p99 TTFT vs HPA | reversals vs HPA | pod-s vs HPA |") + (oracle is null ? "" : " pod-s vs oracle |"))
          .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + (hpa is null ? "" : "---:|---:|---:|") + (oracle is null ? "" : "---:|"));
        foreach (var s in summaries)
        {
            md.Append(inv, $"| {s.Autoscaler}{Settings(s)} | {s.PodSeconds:F0} | {s.MeanPods:F2} | {s.PeakPods} | {s.ScaleEvents} | {s.DirectionReversals} | "
                + $"{s.TtftP50Ms / 1000:F2} | {s.TtftP99Ms / 1000:F2} | {s.E2eP99Ms / 1000:F1} | {s.ThroughputTokS:F0} | {s.Failed} |");
            if (hpa is not null)
            {
                md.Append(inv, $" {Change(s.TtftP99Ms, hpa.TtftP99Ms)} | {Change(s.DirectionReversals, hpa.DirectionReversals)} | {Change(s.PodSeconds, hpa.PodSeconds)} |");
            }

            if (oracle is not null)
            {
                md.Append(inv, $" {(oracle.PodSeconds > 0 ? s.PodSeconds / oracle.PodSeconds : 0):F2}× |");
            }

            md.AppendLine();
        }

        md.AppendLine()
          .AppendLine("Pod-seconds: provisioned pod time, starting and draining pods included. Reversals: a change of the desired count in the other direction from the change before it. "
              + "The oracle knows the future arrivals and has each pod ready one start-up time before the load that needs it.")
          .AppendLine();
        foreach (var (title, file) in images)
        {
            md.AppendLine(inv, $"![{title}]({file})").AppendLine();
        }

        return md.ToString();
    }

    private static string Settings(AutoscaleSummary s) =>
        s.Settings.Count == 0 ? "" : " (" + string.Join(", ", s.Settings.Select(p => $"{p.Key}={p.Value}")) + ")";

    /// <summary>"−12.3 %" (lower than the baseline) or "+4.0 %"; "n/a" against zero.</summary>
    private static string Change(double value, double baseline) =>
        baseline == 0 ? (value == 0 ? "0 %" : "n/a") : ((value - baseline) / baseline).ToString("+0.0 %;−0.0 %;0 %", CultureInfo.InvariantCulture);

    private static List<(string Title, string File)> PlotReplicas(string directory, IReadOnlyList<AutoscaleResult> results, IReadOnlyList<TraceRequest> trace)
    {
        double scale = results[0].Options.Replay.TimeScale;
        double end = trace.Count == 0 ? 1 : trace[^1].ArrivalSeconds / scale;
        int bins = (int)(end / RateBinSeconds) + 1;
        double[] rate = new double[bins];
        foreach (var r in trace)
        {
            rate[Math.Min(bins - 1, (int)(r.ArrivalSeconds / scale / RateBinSeconds))] += 1 / RateBinSeconds;
        }

        double[] rateX = [.. Enumerable.Range(0, bins).Select(i => (i + 0.5) * RateBinSeconds / 60)];
        var images = new List<(string Title, string File)>();
        foreach (var result in results)
        {
            var plot = new Plot();
            var arrivals = plot.Add.ScatterLine(rateX, rate);
            arrivals.LegendText = "arrivals (req/s)";
            arrivals.Color = Colors.Gray.WithAlpha(0.6);
            arrivals.Axes.YAxis = plot.Axes.Right;
            var points = result.Fleet.Replicas;
            double[] xs = [.. points.Select(p => p.Seconds / 60)];
            var desired = plot.Add.ScatterLine(xs, [.. points.Select(p => (double)p.Desired)]);
            desired.LegendText = "desired";
            desired.ConnectStyle = ConnectStyle.StepHorizontal;
            desired.LineWidth = 2;
            var ready = plot.Add.ScatterLine(xs, [.. points.Select(p => (double)p.Ready)]);
            ready.LegendText = "ready";
            ready.ConnectStyle = ConnectStyle.StepHorizontal;
            ready.LinePattern = LinePattern.Dashed;
            ready.LineWidth = 2;
            var s = result.Summarise();
            plot.Title(string.Create(CultureInfo.InvariantCulture, $"{result.Label}: {s.PodSeconds:F0} pod-s, {s.DirectionReversals} reversals, p99 TTFT {s.TtftP99Ms / 1000:F1} s"));
            plot.XLabel("virtual time (min)");
            plot.YLabel("pods");
            plot.Axes.Right.Label.Text = "arrivals (req/s)";
            plot.ShowLegend(Alignment.UpperLeft);
            string file = $"replicas-{result.Options.Autoscaler.ToLowerInvariant()}.png";
            plot.SavePng(Path.Combine(directory, file), Width, PanelHeight);
            images.Add(($"Replicas over time against the arrival rate: {result.Label}", file));
        }

        return images;
    }

    private static string PlotTtftCdf(string directory, IReadOnlyList<AutoscaleResult> results)
    {
        var plot = new Plot();
        foreach (var result in results)
        {
            double[] sorted = [.. result.Replay.TtftMs.Order()];
            if (sorted.Length == 0)
            {
                continue;
            }

            int points = Math.Min(MaxCurvePoints, sorted.Length);
            double[] xs = new double[points], ys = new double[points];
            for (int i = 0; i < points; i++)
            {
                int rank = (int)((long)(i + 1) * sorted.Length / points) - 1;
                xs[i] = Math.Max(sorted[rank] / 1000, 1e-3);
                ys[i] = (rank + 1.0) / sorted.Length;
            }

            var line = plot.Add.ScatterLine(xs.Select(Math.Log10).ToArray(), ys);
            line.LegendText = result.Label;
            line.LineWidth = 2;
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = v => Math.Pow(10, v).ToString("0.###", CultureInfo.InvariantCulture) };
        plot.Title("TTFT CDF");
        plot.XLabel("time to first token (s, log scale)");
        plot.YLabel("fraction of requests");
        plot.ShowLegend(Alignment.LowerRight);
        string file = "ttft-cdf.png";
        plot.SavePng(Path.Combine(directory, file), Width, CdfHeight);
        return file;
    }
}
