using System.CommandLine;
using System.Globalization;
using AIBrix.Bench.Replay;
using AIBrix.Cli;

namespace AIBrix.Bench.Autoscaling;

/// <summary>
/// <c>aibrix-bench autoscale</c>: one strategy in the closed loop over one trace, in virtual time: arrivals through
/// the gateway pipeline to simulated engines whose fleet the autoscaler resizes.
/// </summary>
public static class AutoscaleCommand
{
    /// <summary>The <c>autoscale</c> command: options, help and action.</summary>
    public static Command CreateCommand()
    {
        var common = new AutoscaleOptionSet();
        var autoscaler = CliOptions.Choice("--autoscaler", "kpa", "the strategy: the library's HPA, KPA or APA, or the oracle that sees the future arrivals", AutoscaleOptions.Strategies);
        var json = new Option<bool>("--json") { Description = "print the summary as one JSON object (with the replica series)" };
        var command = new Command("autoscale", "run an autoscaling strategy in a closed loop over a trace in virtual time: latency, cost (pod-seconds) and churn");
        common.AddTo(command);
        command.Add(autoscaler);
        command.Add(json);
        command.SetAction(async result =>
        {
            var errors = new List<string>();
            var warnings = new List<string>();
            var options = common.Bind(result, result.GetValue(autoscaler)!, errors);
            AutoscaleRun.Check(options, errors, warnings);
            if (errors.Count > 0)
            {
                return CliRunner.UsageError(result, Program.Tool, errors);
            }

            foreach (string warning in warnings)
            {
                await Console.Error.WriteLineAsync($"autoscale: warning: {warning}");
            }

            return await RunAsync(options, result.GetValue(json));
        });
        return command;
    }

    private static async Task<int> RunAsync(AutoscaleOptions options, bool json)
    {
        try
        {
            var trace = TraceReader.Read(options.Replay.TracePath, options.Replay.Limit);
            var summary = AutoscaleRun.Run(options, trace).Summarise();
            Console.WriteLine(json ? summary.ToJson() : Describe(summary) + DescribeColdStart(summary));
            return 0;
        }
        catch (Exception e) when (e is FormatException or IOException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"autoscale: {e.Message}");
            return 2;
        }
    }

    /// <summary>The cold-start line, when the run had the model.</summary>
    public static string DescribeColdStart(AutoscaleSummary s) => s.ColdStart is not { } c ? "" : string.Create(CultureInfo.InvariantCulture,
        $"\n  cold start: hint {(c.PlacementHint ? "on" : "off")}, {c.Nodes} nodes, pods started from memory {c.StartedFromMemory}, disk {c.StartedFromDisk}, remote {c.StartedFromRemote}; {s.Max} pods ready {(c.SecondsUntilMaxReady is { } t ? $"{t:F0} s" : "never")} after the first scale-up");

    /// <summary>The headline numbers, one line each.</summary>
    public static string Describe(AutoscaleSummary s) => string.Create(CultureInfo.InvariantCulture, $"""
        {s.Trace}, {s.Autoscaler} on {s.Metric} target {s.Target}, pods {s.Min}-{s.Max}, every {s.IntervalS} s, start-up {s.PodStartupS} s, policy {s.Policy}, time x{s.TimeScale}, seed {s.Seed}
          requests {s.Requests} (failed {s.Failed}), {s.DurationS:F0} s, {s.ThroughputTokS:F0} output tok/s
          pod-seconds {s.PodSeconds:F0} (mean {s.MeanPods:F2} pods, peak {s.PeakPods}), scale events {s.ScaleEvents}, direction reversals {s.DirectionReversals}
          TTFT p50 {s.TtftP50Ms:F1} ms  p99 {s.TtftP99Ms:F1} ms   E2E p99 {s.E2eP99Ms:F1} ms
        """);
}
