using System.CommandLine;
using AIBrix.Bench.Replay;
using AIBrix.Cli;
using Spectre.Console;

namespace AIBrix.Bench.Autoscaling;

/// <summary>
/// <c>aibrix-bench autoscale-compare</c>: runs several strategies in the closed loop over one trace and writes
/// DIR/report.md with a table against HPA and the oracle, a replicas-over-time plot per strategy against the
/// arrival rate, a TTFT CDF, and DIR/results.json.
/// </summary>
public static class AutoscaleCompareCommand
{
    /// <summary>The <c>autoscale-compare</c> command: options, help and action.</summary>
    public static Command CreateCommand()
    {
        var common = new AutoscaleOptionSet();
        var strategies = CliOptions.List("--autoscalers", "strategies to run, comma-separated (hpa, kpa, apa, oracle) [default: all four]", "A,B");
        var outDir = new Option<string>("--out") { HelpName = "DIR", Description = "where report.md, results.json and the PNG plots go", Required = true };
        var command = new Command("autoscale-compare", "run autoscaling strategies in a closed loop over one trace and write a markdown report with plots");
        common.AddTo(command);
        command.Add(strategies);
        command.Add(outDir);
        command.SetAction(async result =>
        {
            var errors = new List<string>();
            var warnings = new List<string>();
            string[] names = result.GetValue(strategies) is { Length: > 0 } given ? given : AutoscaleOptions.Strategies;
            var runs = names.Select(n => common.Bind(result, n.ToLowerInvariant(), errors)).ToList();
            foreach (var run in runs)
            {
                AutoscaleRun.Check(run, errors, warnings);
            }

            if (errors.Count > 0)
            {
                return CliRunner.UsageError(result, Program.Tool, errors.Distinct());
            }

            foreach (string warning in warnings.Distinct())
            {
                await Console.Error.WriteLineAsync($"autoscale-compare: warning: {warning}");
            }

            return await RunAsync(runs, result.GetValue(outDir)!, result.Tokens.Where(t => t.Type != System.CommandLine.Parsing.TokenType.Command).Select(t => t.Value));
        });
        return command;
    }

    private static async Task<int> RunAsync(List<AutoscaleOptions> runs, string outDir, IEnumerable<string> args)
    {
        try
        {
            var trace = TraceReader.Read(runs[0].Replay.TracePath, runs[0].Replay.Limit);
            var results = Run(runs, trace);
            string report = AutoscaleReport.Write(outDir, results, trace, "aibrix-bench autoscale-compare " + string.Join(' ', args.Select(a => a.Contains('&', StringComparison.Ordinal) || a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a)));
            foreach (var result in results)
            {
                Console.WriteLine(AutoscaleCommand.Describe(result.Summarise()));
            }

            Console.WriteLine($"report: {report}");
            return 0;
        }
        catch (Exception e) when (e is FormatException or IOException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"autoscale-compare: {e.Message}");
            return 2;
        }
    }

    /// <summary>Runs each strategy in turn, with Spectre progress bars on an interactive terminal (as <c>compare</c>).</summary>
    public static List<AutoscaleResult> Run(IReadOnlyList<AutoscaleOptions> runs, IReadOnlyList<TraceRequest> trace)
    {
        var results = new List<AutoscaleResult>(runs.Count);
        if (Console.IsOutputRedirected || Console.IsErrorRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            for (int i = 0; i < runs.Count; i++)
            {
                Console.Error.WriteLine($"[{i + 1}/{runs.Count}] {runs[i].Autoscaler} ...");
                results.Add(AutoscaleRun.Run(runs[i], trace));
            }

            return results;
        }

        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var tasks = runs.Select(r => ctx.AddTask(Markup.Escape(r.Autoscaler), autoStart: false, maxValue: 1)).ToList();
                for (int i = 0; i < runs.Count; i++)
                {
                    var task = tasks[i];
                    task.StartTask();
                    results.Add(AutoscaleRun.Run(runs[i], trace, f => task.Value = f));
                    task.StopTask();
                }
            });
        return results;
    }
}
