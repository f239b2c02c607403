using System.Globalization;
using System.Text;
using ScottPlot;

namespace AIBrix.Bench.Replay;

/// <summary>Writes a comparison as DIR/report.md, DIR/results.json and PNG plots beside them.</summary>
public static class ReplayReport
{
    private const int Width = 640, Height = 400;
    private const int MaxCurvePoints = 400;

    /// <summary>Writes the report; returns the markdown file's path.</summary>
    public static string Write(string directory, IReadOnlyList<ReplayResult> results, string command)
    {
        Directory.CreateDirectory(directory);
        var summaries = results.Select(r => r.Summarise()).ToList();
        File.WriteAllText(Path.Combine(directory, "results.json"),
            "[\n" + string.Join(",\n", summaries.Select(s => s.ToJson())) + "\n]\n");

        var images = new List<(string Title, string File)>
        {
            ("TTFT CDF", PlotTtftCdf(directory, results)),
            ("Prefix hit rate", PlotHitRate(directory, summaries)),
        };
        foreach (var result in results)
        {
            images.Add(($"Per-pod load over time: {result.Options.Label}", PlotPodLoad(directory, result)));
        }

        var replicaImages = summaries.Select(x => x.Gateways).Distinct().Count() > 1
            ? new List<(string Title, string File)>
            {
                ("TTFT p90 by gateway replicas", PlotByGateways(directory, summaries, "replicas-ttft-p90.png", "TTFT p90 (s)", x => x.TtftP90Ms / 1000)),
                ("Prefix hit rate by gateway replicas", PlotByGateways(directory, summaries, "replicas-hit-rate.png", "prefix hit rate (%)", x => x.PrefixHitRate * 100)),
            }
            : [];
        string path = Path.Combine(directory, "report.md");
        File.WriteAllText(path, Markdown(summaries, images, command, replicaImages));
        return path;
    }

    /// <summary>The markdown table and plot links.</summary>
    public static string Markdown(IReadOnlyList<ReplaySummary> summaries, IReadOnlyList<(string Title, string File)> images, string command,
        IReadOnlyList<(string Title, string File)>? replicaImages = null)
    {
        var first = summaries[0];
        var baseline = summaries.FirstOrDefault(s => s.Policy.Equals("random", StringComparison.OrdinalIgnoreCase));
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Trace replay: {first.Trace}, {first.Pods} pods, time scale x{first.TimeScale}")
          .AppendLine()
          .AppendLine(CultureInfo.InvariantCulture, $"Mode {first.Mode}, seed {first.Seed}, {first.Requests + first.Rejected + first.Errors} requests "
              + $"({first.Rejected} refused by the engines as longer than max-model-len {first.MaxModelLen}). Command:")
          .AppendLine()
          .AppendLine("    " + command)
          .AppendLine()
          .AppendLine("| policy | TTFT p50 (s) | TTFT p90 (s) | TTFT p99 (s) | TPOT p50 (ms) | E2E p50 (s) | E2E p99 (s) | prefix hit rate | output tok/s | max/mean pod requests | preemptions |"
              + (baseline is null ? "" : " p90 TTFT vs random |"))
          .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + (baseline is null ? "" : "---:|"));
        foreach (var s in summaries)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"| {s.Label} | {s.TtftP50Ms / 1000:F2} | {s.TtftP90Ms / 1000:F2} | {s.TtftP99Ms / 1000:F2} | {s.TpotP50Ms:F1} | {s.E2eP50Ms / 1000:F1} | {s.E2eP99Ms / 1000:F1} | {s.PrefixHitRate:P1} | {s.ThroughputTokS:F0} | {s.PodLoadSpread:F2} | {s.Preemptions} |");
            if (baseline is not null)
            {
                // Against random behind as many gateways, when that ran.
                var random = summaries.FirstOrDefault(b => b.Gateways == s.Gateways && b.Policy.Equals(baseline.Policy, StringComparison.Ordinal)) ?? baseline;
                md.Append(CultureInfo.InvariantCulture, $" {(random.TtftP90Ms > 0 ? s.TtftP90Ms / random.TtftP90Ms : 0):F2}× |");
            }

            md.AppendLine();
        }

        md.AppendLine()
          .AppendLine("Prefix hit rate: prompt tokens the engines served from their prefix cache at each request's first admission, over all prompt tokens.")
          .AppendLine();
        AppendReplicaTable(md, summaries, replicaImages ?? []);
        foreach (var (title, file) in images)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"![{title}]({file})").AppendLine();
        }

        return md.ToString();
    }

    /// <summary>
    /// When a policy ran with one gateway and with several, what the replicas cost it: each replica sees only
    /// its share of the traffic, so its own estimates (in-flight counts, prefix index) are partial.
    /// </summary>
    private static void AppendReplicaTable(StringBuilder md, IReadOnlyList<ReplaySummary> summaries, IReadOnlyList<(string Title, string File)> images)
    {
        var rows = summaries.Where(s => s.Gateways > 1)
            .Select(s => (Many: s, One: summaries.FirstOrDefault(o => o.Gateways == 1 && o.Policy == s.Policy)))
            .Where(r => r.One is not null)
            .ToList();
        if (rows.Count == 0)
        {
            return;
        }

        md.AppendLine("## Gateway replicas")
          .AppendLine()
          .AppendLine("Requests spread round-robin over independent gateway replicas, each with its own routing state (in-flight counts, prefix index), against one gateway.")
          .AppendLine()
          .AppendLine("| policy | replicas | prefix hit rate (1 → N) | hit-rate loss (points) | TTFT p90 (1 → N, s) | p90 ratio |")
          .AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (many, one) in rows)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {many.Policy} | {many.Gateways} | {one!.PrefixHitRate:P1} → {many.PrefixHitRate:P1} | {(one.PrefixHitRate - many.PrefixHitRate) * 100:F1} | "
                + $"{one.TtftP90Ms / 1000:F2} → {many.TtftP90Ms / 1000:F2} | {(one.TtftP90Ms > 0 ? many.TtftP90Ms / one.TtftP90Ms : 0):F2}× |");
        }

        md.AppendLine();
        foreach (var (title, file) in images)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"![{title}]({file})").AppendLine();
        }
    }

    /// <summary>Grouped bars: one group per policy, one bar per gateway replica count.</summary>
    private static string PlotByGateways(string directory, IReadOnlyList<ReplaySummary> summaries, string file, string label, Func<ReplaySummary, double> value)
    {
        var plot = new Plot();
        var policies = summaries.Select(x => x.Policy).Distinct(StringComparer.Ordinal).ToList();
        var counts = summaries.Select(x => x.Gateways).Distinct().Order().ToList();
        var palette = new ScottPlot.Palettes.Category10();
        double width = 0.8 / counts.Count;
        for (int g = 0; g < counts.Count; g++)
        {
            var bars = new List<Bar>();
            for (int p = 0; p < policies.Count; p++)
            {
                var row = summaries.FirstOrDefault(x => x.Gateways == counts[g] && x.Policy == policies[p]);
                if (row is not null)
                {
                    bars.Add(new Bar { Position = p + ((g - ((counts.Count - 1) / 2.0)) * width), Value = value(row), Size = width, FillColor = palette.GetColor(g) });
                }
            }

            plot.Add.Bars(bars);
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"{counts[g]} gateway{(counts[g] == 1 ? "" : "s")}", FillColor = palette.GetColor(g) });
        }

        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, policies.Count).Select(i => (double)i)], [.. policies]);
        plot.Axes.Margins(bottom: 0);
        plot.YLabel(label);
        plot.Title(label + " by gateway replicas");
        plot.ShowLegend(Alignment.UpperRight);
        return Save(plot, directory, file);
    }

    private static string PlotTtftCdf(string directory, IReadOnlyList<ReplayResult> results)
    {
        var plot = new Plot();
        foreach (var result in results)
        {
            double[] sorted = [.. result.TtftMs.Order()];
            if (sorted.Length == 0)
            {
                continue;
            }

            int points = Math.Min(MaxCurvePoints, sorted.Length);
            double[] xs = new double[points], ys = new double[points];
            for (int i = 0; i < points; i++)
            {
                int rank = (int)((long)(i + 1) * sorted.Length / points) - 1;
                xs[i] = sorted[rank] / 1000;
                ys[i] = (rank + 1.0) / sorted.Length;
            }

            var line = plot.Add.ScatterLine(xs, ys);
            line.LegendText = result.Options.Label;
            line.LineWidth = 2;
        }

        plot.Title("TTFT CDF");
        plot.XLabel("time to first token (s)");
        plot.YLabel("fraction of requests");
        plot.ShowLegend(Alignment.LowerRight);
        return Save(plot, directory, "ttft-cdf.png");
    }

    private static string PlotHitRate(string directory, IReadOnlyList<ReplaySummary> summaries)
    {
        var plot = new Plot();
        double[] values = [.. summaries.Select(s => s.PrefixHitRate * 100)];
        plot.Add.Bars(values);
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, values.Length).Select(i => (double)i)], [.. summaries.Select(s => s.Label)]);
        plot.Axes.Margins(bottom: 0);
        plot.Title("Prefix hit rate");
        plot.YLabel("cached prompt tokens (%)");
        return Save(plot, directory, "hit-rate.png");
    }

    private static string PlotPodLoad(string directory, ReplayResult result)
    {
        var plot = new Plot();
        int pods = result.Options.Pods;
        double[] xs = [.. result.Timeline.Select(t => t.Seconds / 60)];
        for (int p = 0; p < pods && xs.Length > 0; p++)
        {
            double[] ys = [.. result.Timeline.Select(t => (double)t.Load[p])];
            var line = plot.Add.ScatterLine(xs, ys);
            line.LegendText = $"pod-{p}";
        }

        plot.Title($"Requests per pod (running + waiting): {result.Options.Label}");
        plot.XLabel("virtual time (min)");
        plot.YLabel("requests");
        if (pods <= 8)
        {
            plot.ShowLegend(Alignment.UpperRight);
        }

        string safe = string.Concat(result.Options.Policy.Select(c => char.IsLetterOrDigit(c) || c == '-' ? c : '_'))
            + (result.Options.Gateways == 1 ? "" : $"-x{result.Options.Gateways}");
        return Save(plot, directory, $"pod-load-{safe}.png");
    }

    private static string Save(Plot plot, string directory, string file)
    {
        plot.SavePng(Path.Combine(directory, file), Width, Height);
        return file;
    }
}
