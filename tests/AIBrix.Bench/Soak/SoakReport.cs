using System.Globalization;
using System.Text;
using System.Text.Json;
using ScottPlot;

namespace AIBrix.Bench.Soak;

/// <summary>The soak's report: DIR/report.md with tables and PNG figures, DIR/results.json, and the one-object summary.</summary>
internal static class SoakReport
{
    private const int Width = 1000;
    private const int Height = 450;

    /// <summary>The summary (also printed with <c>--json</c>).</summary>
    public static Dictionary<string, object> Summary(SoakResult r)
    {
        var ok = r.Requests.Where(c => c.Outcome == SoakAnalysis.Ok).Select(c => c.Record.LatencyMs).Order().ToArray();
        return new Dictionary<string, object>
        {
            ["minutes"] = r.Settings.Minutes,
            ["rate"] = r.Settings.Rate,
            ["mode"] = r.Settings.Mode,
            ["seed"] = r.Settings.Seed,
            ["requests"] = r.Requests.Count,
            ["achieved_rate"] = Math.Round(r.Requests.Count / Math.Max(1, r.TrafficSeconds), 1),
            ["outcomes"] = r.Requests.GroupBy(c => c.Outcome).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            ["failures_by_cause"] = r.Requests.Where(c => c.Cause is not null).GroupBy(c => c.Cause!).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            ["latency_ok_ms"] = new Dictionary<string, double?>
            {
                ["p50"] = Ms(Stats.Percentile(ok, 0.5)),
                ["p90"] = Ms(Stats.Percentile(ok, 0.9)),
                ["p99"] = Ms(Stats.Percentile(ok, 0.99)),
                ["max"] = ok.Length == 0 ? null : Ms(ok[^1]),
            },
            ["warmup_seconds"] = r.Settings.WarmupSeconds,
            ["warmup"] = WarmupSummary(r),
            ["faults"] = r.Faults.Count,
            ["limit_violations"] = r.Violations.Count,
            ["unsettled_reservations"] = r.Unsettled,
            ["token_sum_drift"] = r.SumDrift,
            ["unexplained_failures"] = r.UnexplainedFailures,
            ["memory"] = r.Trends.ToDictionary(t => t.Replica, t => new Dictionary<string, double>
            {
                ["rss_mb_end"] = Math.Round(t.RssEndMb, 1),
                ["gc_heap_mb_end"] = Math.Round(t.HeapEndMb, 1),
                ["rss_mb_per_min"] = Math.Round(t.RssSlope, 2),
                ["gc_heap_mb_per_min"] = Math.Round(t.HeapSlope, 2),
                ["gc_heap_floor_mb_start"] = Math.Round(t.HeapFloorStartMb, 1),
                ["gc_heap_floor_mb_end"] = Math.Round(t.HeapFloorEndMb, 1),
                ["gc_heap_floor_mb_per_min"] = Math.Round(t.HeapFloorSlope, 2),
                ["rss_floor_mb_per_min"] = Math.Round(t.RssFloorSlope, 2),
                ["minutes_fitted"] = Math.Round(t.Minutes, 2),
            }),
            ["problems"] = r.Problems().ToArray(),
        };
    }

    /// <summary>The warm-up's requests (reported apart, not in the verdict): count, outcomes, failures by symptom, latency.</summary>
    public static Dictionary<string, object> WarmupSummary(SoakResult r)
    {
        var ok = r.Warmup.Where(c => c.Outcome == SoakAnalysis.Ok).Select(c => c.Record.LatencyMs).Order().ToArray();
        return new Dictionary<string, object>
        {
            ["requests"] = r.Warmup.Count,
            ["outcomes"] = r.Warmup.GroupBy(c => c.Outcome).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            ["failures_by_symptom"] = r.Warmup.Where(c => c.Outcome == SoakAnalysis.Failed).GroupBy(c => SoakAnalysis.Symptom(c.Record))
                .OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            ["latency_ok_ms"] = new Dictionary<string, double?> { ["p50"] = Ms(Stats.Percentile(ok, 0.5)), ["p99"] = Ms(Stats.Percentile(ok, 0.99)) },
        };
    }

    /// <summary>Milliseconds rounded for the summary; null (JSON has no NaN) when there were no requests to measure.</summary>
    private static double? Ms(double value) => double.IsNaN(value) ? null : Math.Round(value, 1);

    public static string SummaryJson(SoakResult r) => JsonSerializer.Serialize(Summary(r));

    /// <summary>Writes the report; returns the path of report.md.</summary>
    public static string Write(string directory, SoakResult r, string command)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "results.json"), JsonSerializer.Serialize(Summary(r), new JsonSerializerOptions { WriteIndented = true }));
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        md.AppendLine("# Soak report").AppendLine();
        md.AppendLine(inv, $"`{command}`").AppendLine();
        md.AppendLine(inv, $"{r.Requests.Count} requests in {r.TrafficSeconds:F0} s ({r.Requests.Count / Math.Max(1, r.TrafficSeconds):F1}/s) through {string.Join(" and ", r.Settings.Modes)}, "
            + $"two gateway replicas per mode (separate aibrix-gateway processes), {r.Settings.Pods} engine pods, one Redis; {r.Faults.Count} faults.").AppendLine();
        var problems = r.Problems().ToList();
        md.AppendLine(problems.Count == 0 ? "**Verdict: pass** (0 limit violations, 0 unsettled reservations, 0 unexplained failures, no leak)." : "**Verdict: FAIL**: " + string.Join("; ", problems) + ".").AppendLine();

        md.AppendLine("## Checks").AppendLine().AppendLine("| check | value |").AppendLine("|---|---|");
        md.AppendLine(inv, $"| limit violations (admitted beyond a user's RPM/TPM within 60 s) | {r.Violations.Count} |");
        foreach (var v in r.Violations)
        {
            md.AppendLine(inv, $"| — {v.User} {v.Limit}: {v.Admitted} admitted in the minute from {v.WindowStart:F1} s, limit {v.Allowed} | |");
        }

        md.AppendLine(inv, $"| reservations not settled (Redis, after traffic) | {r.Unsettled} |");
        foreach (var (user, at) in r.UnsettledAt)
        {
            var near = r.Faults.LastOrDefault(f => f.StartSeconds <= at + 1);
            md.AppendLine(inv, $"| — {user}, admitted at {at:F1} s (last fault before: {near?.Label ?? "none"}) | |");
        }

        md.AppendLine(inv, $"| token sums minus their entries (Redis) | {r.SumDrift} |");
        md.AppendLine(inv, $"| unexplained failures | {r.UnexplainedFailures} |").AppendLine();

        if (r.Settings.WarmupSeconds > 0)
        {
            var w = r.Warmup;
            md.AppendLine("## Warm-up").AppendLine();
            md.Append(inv, $"{r.Settings.WarmupSeconds:F0} s before the measured minutes and the faults, the offered rate climbing from {r.Settings.Rate * WarmupRamp.StartShare:F0} to {r.Settings.Rate} req/s. ")
                .AppendLine("Its requests are reported here and left out of everything below; limit violations and unsettled reservations above include them.").AppendLine();
            md.AppendLine("| warm-up requests | ok | limited | refused | failed | failures by symptom | p50 ms | p99 ms |").AppendLine("|---|---|---|---|---|---|---|---|");
            var l = w.Where(c => c.Outcome == SoakAnalysis.Ok).Select(c => c.Record.LatencyMs).Order().ToArray();
            string symptoms = string.Join(", ", w.Where(c => c.Outcome == SoakAnalysis.Failed).GroupBy(c => SoakAnalysis.Symptom(c.Record)).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"));
            md.AppendLine(inv, $"| {w.Count} | {w.Count(c => c.Outcome == SoakAnalysis.Ok)} | {w.Count(c => c.Outcome == SoakAnalysis.Limited)} | {w.Count(c => c.Outcome == SoakAnalysis.Refused)} | "
                + $"{w.Count(c => c.Outcome == SoakAnalysis.Failed)} | {symptoms} | {Stats.Percentile(l, 0.5):F1} | {Stats.Percentile(l, 0.99):F1} |").AppendLine();
        }

        md.AppendLine("## Outcomes").AppendLine().AppendLine("| outcome | cause | symptom | requests |").AppendLine("|---|---|---|---|");
        foreach (var g in r.Requests.GroupBy(c => (c.Outcome, c.Cause ?? "", c.Outcome == SoakAnalysis.Failed ? SoakAnalysis.Symptom(c.Record) : ""))
                     .OrderBy(g => g.Key.Outcome, StringComparer.Ordinal).ThenByDescending(g => g.Count()))
        {
            md.AppendLine(inv, $"| {g.Key.Outcome} | {g.Key.Item2} | {g.Key.Item3} | {g.Count()} |");
        }

        md.AppendLine().AppendLine("## Latency by kind and mode (ms, requests answered as expected)").AppendLine();
        md.AppendLine("| mode | kind | requests | p50 | p90 | p99 | max |").AppendLine("|---|---|---|---|---|---|---|");
        foreach (var g in r.Requests.Where(c => c.Outcome != SoakAnalysis.Failed).GroupBy(c => (c.Record.Mode, c.Record.Kind)).OrderBy(g => g.Key.Mode, StringComparer.Ordinal).ThenBy(g => g.Key.Kind))
        {
            var l = g.Select(c => c.Record.LatencyMs).Order().ToArray();
            md.AppendLine(inv, $"| {g.Key.Mode} | {g.Key.Kind} | {l.Length} | {Stats.Percentile(l, 0.5):F1} | {Stats.Percentile(l, 0.9):F1} | {Stats.Percentile(l, 0.99):F1} | {l[^1]:F1} |");
        }

        md.AppendLine().AppendLine("## Per minute").AppendLine();
        md.AppendLine("| minute | requests | ok | limited | refused | failed (explained) | unexplained | p50 ms | p99 ms | faults started |").AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var g in r.Requests.GroupBy(c => (int)(c.Record.Start / 60)).OrderBy(g => g.Key))
        {
            var l = g.Where(c => c.Outcome == SoakAnalysis.Ok).Select(c => c.Record.LatencyMs).Order().ToArray();
            int failed = g.Count(c => c.Outcome == SoakAnalysis.Failed), unexplained = g.Count(c => c.Cause == SoakAnalysis.Unexplained);
            string faults = string.Join(", ", r.Faults.Where(f => (int)(f.StartSeconds / 60) == g.Key).Select(f => f.Label));
            md.AppendLine(inv, $"| {g.Key + 1} | {g.Count()} | {g.Count(c => c.Outcome == SoakAnalysis.Ok)} | {g.Count(c => c.Outcome == SoakAnalysis.Limited)} | "
                + $"{g.Count(c => c.Outcome == SoakAnalysis.Refused)} | {failed - unexplained} | {unexplained} | {Stats.Percentile(l, 0.5):F1} | {Stats.Percentile(l, 0.99):F1} | {faults} |");
        }

        md.AppendLine().AppendLine("## Gateway memory").AppendLine();
        md.AppendLine(inv, $"Each replica is its own process: RSS from /proc, GC heap from its /metrics (`dotnet_total_memory_bytes`), every 2 s. "
            + $"Over each replica's longest life after 20 s of warm-up. The GC heap is a sawtooth; its **floor** (the lowest sample of each {SoakAnalysis.FloorWindowSeconds:F0} s window) "
            + $"is what survives collections, and a leak is a floor rising faster than {r.Settings.LeakMbPerMinute} MB/min (least squares over the floors) over at least {SoakAnalysis.MinLeakMinutes} min. "
            + $"The slopes through every sample are shown for the record.").AppendLine();
        md.AppendLine("| replica | GC heap floor start → end (MB) | floor MB/min | GC heap end (MB) | GC heap MB/min (all samples) | RSS start → end (MB) | RSS floor MB/min | minutes fitted |").AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var t in r.Trends)
        {
            md.AppendLine(inv, $"| {t.Replica} | {t.HeapFloorStartMb:F1} → {t.HeapFloorEndMb:F1} | {t.HeapFloorSlope:F2} | {t.HeapEndMb:F1} | {t.HeapSlope:F2} | {t.RssStartMb:F0} → {t.RssEndMb:F0} | {t.RssFloorSlope:F2} | {t.Minutes:F1} |");
        }

        md.AppendLine().AppendLine("## Faults").AppendLine().AppendLine("| start (s) | fault | lasted (s) | failures laid to it |").AppendLine("|---|---|---|---|");
        foreach (var f in r.Faults)
        {
            md.AppendLine(inv, $"| {f.StartSeconds:F1} | {f.Label}{(f.RecoveryError is null ? "" : " — " + f.RecoveryError)} | {f.DurationSeconds:F1} | {r.Requests.Count(c => c.Cause == f.Label)} |");
        }

        md.AppendLine().AppendLine("## Figures").AppendLine();
        foreach (var (title, file) in new[] { ("Requests per second by outcome", PlotOutcomes(directory, r)), ("Latency over time", PlotLatency(directory, r)), ("Gateway memory", PlotMemory(directory, r)) })
        {
            md.AppendLine(inv, $"![{title}]({file})").AppendLine();
        }

        string path = Path.Combine(directory, "report.md");
        File.WriteAllText(path, md.ToString());
        return path;
    }

    private static string PlotOutcomes(string directory, SoakResult r)
    {
        var plot = new Plot();
        int seconds = (int)Math.Ceiling(r.TrafficSeconds) + 1;
        foreach (string outcome in new[] { SoakAnalysis.Ok, SoakAnalysis.Limited, SoakAnalysis.Refused, SoakAnalysis.Failed })
        {
            double[] counts = new double[seconds];
            foreach (var c in r.Requests.Where(c => c.Outcome == outcome))
            {
                counts[Math.Clamp((int)c.Record.Start, 0, seconds - 1)]++;
            }

            var line = plot.Add.ScatterLine(Enumerable.Range(0, seconds).Select(s => (double)s).ToArray(), counts);
            line.LegendText = outcome;
        }

        AddFaultSpans(plot, r);
        plot.Title("Requests per second by outcome (by start time; faults shaded)");
        plot.XLabel("time (s)");
        plot.YLabel("requests/s");
        plot.ShowLegend(Alignment.UpperRight);
        return Save(plot, directory, "outcomes.png");
    }

    private static string PlotLatency(string directory, SoakResult r)
    {
        var plot = new Plot();
        const int Bucket = 5;
        var buckets = r.Requests.Where(c => c.Outcome == SoakAnalysis.Ok).GroupBy(c => (int)(c.Record.Start / Bucket)).OrderBy(g => g.Key)
            .Select(g => (X: (g.Key * Bucket) + (Bucket / 2.0), L: g.Select(c => c.Record.LatencyMs).Order().ToArray())).ToList();
        foreach (var (name, q) in new[] { ("p50", 0.5), ("p99", 0.99) })
        {
            var line = plot.Add.ScatterLine(buckets.Select(b => b.X).ToArray(), buckets.Select(b => Stats.Percentile(b.L, q)).ToArray());
            line.LegendText = name;
        }

        AddFaultSpans(plot, r);
        plot.Title($"Latency of successful requests, per {Bucket} s (faults shaded)");
        plot.XLabel("time (s)");
        plot.YLabel("latency (ms)");
        plot.ShowLegend(Alignment.UpperRight);
        return Save(plot, directory, "latency.png");
    }

    private static string PlotMemory(string directory, SoakResult r)
    {
        var plot = new Plot();
        foreach (var replica in r.Memory.GroupBy(s => s.Replica).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var rss = plot.Add.Scatter(replica.Select(s => s.Seconds).ToArray(), replica.Select(s => s.RssMb).ToArray());
            rss.LegendText = $"{replica.Key} RSS";
            rss.LineWidth = 0;
            rss.MarkerSize = 3;
            var heap = plot.Add.Scatter(replica.Select(s => s.Seconds).ToArray(), replica.Select(s => s.HeapMb).ToArray());
            heap.LegendText = $"{replica.Key} GC heap";
            heap.LineWidth = 0;
            heap.MarkerSize = 3;
        }

        AddFaultSpans(plot, r);
        plot.Title("Gateway RSS and GC heap (faults shaded)");
        plot.XLabel("time (s)");
        plot.YLabel("MB");
        plot.ShowLegend(Alignment.UpperLeft);
        return Save(plot, directory, "memory.png");
    }

    private static void AddFaultSpans(Plot plot, SoakResult r)
    {
        foreach (var f in r.Faults)
        {
            var span = plot.Add.HorizontalSpan(f.StartSeconds, Math.Max(f.EndSeconds, f.StartSeconds + 0.5));
            span.FillStyle.Color = Colors.Gray.WithAlpha(0.2);
            span.LineStyle.Width = 0;
        }
    }

    private static string Save(Plot plot, string directory, string file)
    {
        plot.SavePng(Path.Combine(directory, file), Width, Height);
        return file;
    }
}
