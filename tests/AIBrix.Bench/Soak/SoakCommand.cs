using System.CommandLine;
using AIBrix.Cli;

namespace AIBrix.Bench.Soak;

/// <summary>
/// <c>aibrix-bench soak</c>: sustained mixed traffic through real gateway processes (two replicas per mode, one Redis,
/// engine simulator pods) while a fault schedule runs; checks limits, reservations, failures and memory, writes a
/// report, and exits 1 when a check fails.
/// </summary>
public static class SoakCommand
{
    /// <summary>The <c>soak</c> command: options, help and action.</summary>
    public static Command CreateCommand()
    {
        var defaults = new SoakSettings();
        var minutes = CliOptions.Double("--minutes", defaults.Minutes, "how long traffic runs", positive: true, helpName: "N");
        var rate = CliOptions.Double("--rate", defaults.Rate, "requests per second, open loop, all modes together (split evenly)", positive: true, helpName: "R");
        var mode = CliOptions.Choice("--mode", defaults.Mode, "which gateway mode(s) to drive: ext_proc through the Envoy emulator, the standalone proxy over HTTP, or both at once",
            SoakSettings.ExtProcMode, SoakSettings.StandaloneMode, SoakSettings.BothModes);
        var seed = CliOptions.Int("--seed", defaults.Seed, "seed of the fault schedule and the traffic mix", helpName: "S");
        var report = new Option<string?>("--report") { HelpName = "DIR", Description = "write DIR/report.md (tables and PNG figures), DIR/results.json and the processes' logs" };
        var json = new Option<bool>("--json") { Description = "print the summary as one JSON object" };
        var redis = new Option<string?>("--redis") { HelpName = "HOST:PORT|cluster", Description = "use this Redis (it is not restarted), or 'cluster': start a Redis Cluster of three primaries with a replica each and kill the tight user's primary where Redis would be restarted [default: start redis-server on a free loopback port]" };
        var redisServer = new Option<string>("--redis-server") { HelpName = "PATH", Description = "redis-server to start", DefaultValueFactory = _ => defaults.RedisServer };
        var pods = CliOptions.Int("--pods", defaults.Pods, "engine simulator pods (processes)", min: 1, max: 32);
        var hostile = CliOptions.Double("--hostile", defaults.HostileShare, "share of hostile requests (malformed, unknown model, bad key, huge body, over the limit)", min: 0, helpName: "X");
        var leak = CliOptions.Double("--leak-mb-per-min", defaults.LeakMbPerMinute, "slope of the GC heap's floor (lowest sample per 30 s window) above which a gateway leaks, judged over at least 5 minutes of a replica's life", positive: true, helpName: "MB");
        var warmup = CliOptions.Double("--warmup-s", defaults.WarmupSeconds, "seconds of warm-up before the measured minutes and the faults: the rate climbs from a tenth of R to R; its requests are reported apart and judged only for limit violations and unsettled reservations (0: none)", min: 0, helpName: "N");
        var noFaults = new Option<bool>("--no-faults") { Description = "run the traffic without the fault schedule" };
        var command = new Command("soak", "mixed traffic through two gateway replicas per mode with faults injected; checks limits, reservations, failures and memory")
        {
            minutes, rate, mode, seed, report, json, redis, redisServer, pods, hostile, leak, warmup, noFaults,
        };
        command.SetAction(async result =>
        {
            var settings = new SoakSettings
            {
                Minutes = result.GetValue(minutes),
                Rate = result.GetValue(rate),
                Mode = result.GetValue(mode)!,
                Seed = result.GetValue(seed),
                ReportDirectory = result.GetValue(report),
                Json = result.GetValue(json),
                Redis = result.GetValue(redis),
                RedisServer = result.GetValue(redisServer)!,
                Pods = result.GetValue(pods),
                HostileShare = result.GetValue(hostile),
                LeakMbPerMinute = result.GetValue(leak),
                NoFaults = result.GetValue(noFaults),
                WarmupSeconds = result.GetValue(warmup),
            };
            if (settings.HostileShare > 1)
            {
                return CliRunner.UsageError(result, Program.Tool, ["--hostile: must be between 0 and 1"]);
            }

            string args = string.Join(' ', result.Tokens.Where(t => t.Type != System.CommandLine.Parsing.TokenType.Command).Select(t => t.Value));
            return await RunAsync(settings, "aibrix-bench soak " + args, Console.Out, Console.Error);
        });
        return command;
    }

    /// <summary>Runs a soak and reports it; 0 when every check passes, 1 when one fails, 2 when the fleet cannot start.</summary>
    public static async Task<int> RunAsync(SoakSettings settings, string commandLine, TextWriter output, TextWriter errors)
    {
        string work = settings.ReportDirectory ?? Path.Combine(Path.GetTempPath(), $"aibrix-soak-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        SoakResult result;
        try
        {
            result = await SoakRun.RunAsync(settings, work, line => errors.WriteLine(line));
        }
        catch (Exception e) when (e is FileNotFoundException or TimeoutException or InvalidOperationException or HttpRequestException or TaskCanceledException)
        {
            await errors.WriteLineAsync($"soak: {e.Message}");
            return 2;
        }

        if (settings.ReportDirectory is { } dir)
        {
            await errors.WriteLineAsync($"report: {SoakReport.Write(dir, result, commandLine)}");
        }
        else
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // logs left behind in the temp directory
            }
        }

        if (settings.Json)
        {
            await output.WriteLineAsync(SoakReport.SummaryJson(result));
        }
        else
        {
            var s = SoakReport.Summary(result);
            await output.WriteLineAsync($"requests {s["requests"]} ({s["achieved_rate"]}/s); outcomes {Describe(s["outcomes"])}; failures by cause {Describe(s["failures_by_cause"])}");
            if (result.Warmup.Count > 0)
            {
                var w = SoakReport.WarmupSummary(result);
                await output.WriteLineAsync($"warm-up ({settings.WarmupSeconds:F0} s, not in the verdict): requests {w["requests"]}; outcomes {Describe(w["outcomes"])}; failures {Describe(w["failures_by_symptom"])}");
            }

            await output.WriteLineAsync($"limit violations {result.Violations.Count}; unsettled reservations {result.Unsettled}; unexplained failures {result.UnexplainedFailures}");
            foreach (var t in result.Trends)
            {
                await output.WriteLineAsync($"{t.Replica}: RSS {t.RssEndMb:F0} MB ({t.RssSlope:+0.00;-0.00} MB/min), GC heap {t.HeapEndMb:F1} MB, its floor {t.HeapFloorStartMb:F1} -> {t.HeapFloorEndMb:F1} MB ({t.HeapFloorSlope:+0.00;-0.00} MB/min) over {t.Minutes:F1} min");
            }
        }

        var problems = result.Problems().ToList();
        foreach (string problem in problems)
        {
            await errors.WriteLineAsync($"soak: FAIL: {problem}");
        }

        return problems.Count == 0 ? 0 : 1;
    }

    private static string Describe(object counts) =>
        string.Join(", ", ((System.Collections.IDictionary)counts).Keys.Cast<string>().Select(k => $"{k} {((System.Collections.IDictionary)counts)[k]}"));
}
