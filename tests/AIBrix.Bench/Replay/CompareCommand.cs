using System.CommandLine;
using AIBrix.Cli;
using Spectre.Console;

namespace AIBrix.Bench.Replay;

/// <summary>
/// <c>aibrix-bench compare</c>: replays one trace in virtual time under several policies and writes
/// DIR/report.md with a table and PNG plots (TTFT CDF, hit rate, per-pod load over time) and DIR/results.json.
/// </summary>
public static class CompareCommand
{
    /// <summary>The <c>compare</c> command: options, help and action.</summary>
    public static Command CreateCommand()
    {
        var common = new ReplayOptionSet();
        var policies = new Option<string>("--policies")
        {
            HelpName = "A,B,C",
            Description = "routing strategies the gateway knows and/or oracle, oracle-ttft, comma-separated; a weighted mix (prefix-cache:2,least-request:1) stays one entry; \"|\" also separates entries",
            Required = true,
        };
        var gateways = CliOptions.List("--gateways", "gateway replica counts to run every policy at (e.g. 1,4); the report compares them [default: 1]", "N,M");
        var outDir = new Option<string>("--out") { HelpName = "DIR", Description = "where report.md, results.json and the PNG plots go", Required = true };
        var command = new Command("compare", "replay one trace in virtual time under several policies and write a markdown report with plots");
        common.AddTo(command);
        command.Add(policies);
        command.Add(gateways);
        command.Add(outDir);
        command.SetAction(async result =>
        {
            var template = common.Bind(result, "random");
            string[] names = SplitPolicies(result.GetValue(policies)!);
            var errors = template.Validate().ToList();
            if (names.Length == 0)
            {
                errors.Add("--policies names no policy");
            }

            var counts = ParseGatewayCounts(result.GetValue(gateways)!, errors);
            return errors.Count > 0
                ? CliRunner.UsageError(result, Program.Tool, errors)
                : await RunAsync(template, names, counts, result.GetValue(outDir)!, result.Tokens.Where(t => t.Type != System.CommandLine.Parsing.TokenType.Command).Select(t => t.Value));
        });
        return command;
    }

    private static int[] ParseGatewayCounts(string[] values, List<string> errors)
    {
        if (values.Length == 0)
        {
            return [1];
        }

        var counts = new List<int>(values.Length);
        foreach (string value in values)
        {
            if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= ReplayOptions.MaxGateways)
            {
                if (!counts.Contains(n))
                {
                    counts.Add(n);
                }
            }
            else
            {
                errors.Add($"--gateways: '{value}' is not a whole number between 1 and {ReplayOptions.MaxGateways}");
            }
        }

        return [.. counts];
    }

    private static async Task<int> RunAsync(ReplayOptions template, string[] policies, int[] gateways, string outDir, IEnumerable<string> args)
    {
        try
        {
            var trace = TraceReader.Read(template.TracePath, template.Limit);
            var results = Run(template, policies, trace, gateways);
            string report = ReplayReport.Write(outDir, results, "aibrix-bench compare " + string.Join(' ', args.Select(Quote)));
            foreach (var result in results)
            {
                Console.WriteLine(ReplayCommand.Describe(result.Summarise()));
            }

            Console.WriteLine($"report: {report}");
            return 0;
        }
        catch (Exception e) when (e is FormatException or IOException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"compare: {e.Message}");
            return 2;
        }
    }

    /// <summary>
    /// Splits the policy list on commas, keeping a weighted mix (<c>prefix-cache:2,least-request:1</c>) whole:
    /// a comma followed by a <c>name:weight</c> item continues the mix it follows. <c>|</c> always separates.
    /// </summary>
    public static string[] SplitPolicies(string text)
    {
        var policies = new List<string>();
        foreach (string group in text.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int groupStart = policies.Count;
            foreach (string item in group.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (item.Contains(':', StringComparison.Ordinal) && policies.Count > groupStart && policies[^1].Contains(':', StringComparison.Ordinal))
                {
                    policies[^1] += "," + item;
                }
                else
                {
                    policies.Add(item);
                }
            }
        }

        return [.. policies];
    }

    /// <summary>
    /// Runs every policy at every gateway replica count (validating all names first, so a typo fails before
    /// hours of replay); results are grouped by replica count, policies in the order given.
    /// </summary>
    public static List<ReplayResult> Run(ReplayOptions template, IReadOnlyList<string> policies, IReadOnlyList<TraceRequest> trace, IReadOnlyList<int>? gateways = null)
    {
        var runs = (gateways ?? [template.Gateways]).SelectMany(g => policies.Select(p => template with { Policy = p, Gateways = g })).ToList();
        var replays = runs.Select(o => new VirtualReplay(o, trace)).ToList();
        var labels = runs.Select(o => o.Label).ToList();
        var results = new List<ReplayResult>(replays.Count);
        if (Console.IsOutputRedirected || Console.IsErrorRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            for (int i = 0; i < replays.Count; i++)
            {
                Console.Error.WriteLine($"[{i + 1}/{replays.Count}] {labels[i]} ...");
                results.Add(replays[i].Run());
            }

            return results;
        }

        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var tasks = labels.Select(p => ctx.AddTask(Markup.Escape(p), autoStart: false, maxValue: 1)).ToList();
                for (int i = 0; i < replays.Count; i++)
                {
                    var task = tasks[i];
                    task.StartTask();
                    results.Add(replays[i].Run(f => task.Value = f));
                    task.StopTask();
                }
            });
        return results;
    }

    private static string Quote(string arg) => arg.Contains(' ', StringComparison.Ordinal) || arg.Contains('|', StringComparison.Ordinal) ? $"'{arg}'" : arg;
}
