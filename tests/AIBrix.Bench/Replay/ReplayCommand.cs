using System.CommandLine;
using System.Globalization;
using AIBrix.Cli;

namespace AIBrix.Bench.Replay;

/// <summary><c>aibrix-bench replay</c>: one policy over one trace, in virtual time or against a live gateway.</summary>
public static class ReplayCommand
{
    /// <summary>The <c>replay</c> command: options, help and action.</summary>
    public static Command CreateCommand()
    {
        var common = new ReplayOptionSet();
        var policy = new Option<string>("--policy")
        {
            HelpName = "NAME",
            Description = "any routing strategy the gateway knows (random, least-request, a weighted mix like prefix-cache:2,least-request:1), oracle (longest truly cached prefix) or oracle-ttft (least true predicted TTFT)",
            DefaultValueFactory = _ => "random",
        };
        var virtualTime = new Option<bool>("--virtual-time") { Description = "replay on a discrete-event clock against simulated engines (no gateway needed)" };
        var gateway = CliOptions.Url("--gateway", "replay in real time against a running standalone gateway at URL");
        var gateways = CliOptions.Int("--gateways", 1, "gateway replicas in virtual time: requests go round-robin, each replica has its own routing state", min: 1, max: ReplayOptions.MaxGateways);
        var shareClocks = new Option<bool>("--share-prefill-clocks") { Description = "virtual time: the gateway replicas share kv-cost's per-pod prefill clocks (no delay), as a shared store would" };
        var engineQueue = new Option<bool>("--kv-cost-engine-queue") { Description = "kv-cost reads the engines' queued prefill tokens (routing.kvCost.useEnginePrefillQueue; a simulator extension)" };
        var json = new Option<bool>("--json") { Description = "print the summary as one JSON object" };
        var command = new Command("replay", "replay a Mooncake or Azure trace under one routing policy, in virtual time (--virtual-time) or against a gateway (--gateway URL)");
        common.AddTo(command);
        command.Add(policy);
        command.Add(virtualTime);
        command.Add(gateway);
        command.Add(gateways);
        command.Add(shareClocks);
        command.Add(engineQueue);
        command.Add(json);
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = common.Bind(result, result.GetValue(policy)!) with
            {
                Gateways = result.GetValue(gateways),
                SharePrefillClocks = result.GetValue(shareClocks),
                EnginePrefillQueue = result.GetValue(engineQueue),
            };
            var errors = options.Validate().ToList();
            if (result.GetValue(virtualTime) == (result.GetValue(gateway) is not null))
            {
                errors.Add("choose one of --virtual-time and --gateway URL");
            }
            else if (result.GetValue(gateway) is not null && options.Gateways > 1)
            {
                errors.Add("--gateways applies to --virtual-time (a live gateway has the replicas it has)");
            }

            return errors.Count > 0
                ? CliRunner.UsageError(result, Program.Tool, errors)
                : await RunAsync(options, result.GetValue(gateway), result.GetValue(json), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(ReplayOptions options, Uri? gateway, bool json, CancellationToken cancellationToken)
    {
        try
        {
            var trace = TraceReader.Read(options.TracePath, options.Limit);
            ReplayResult result = gateway is null
                ? new VirtualReplay(options, trace).Run()
                : await GatewayReplay.RunAsync(options, trace, gateway, cancellationToken);
            var summary = result.Summarise();
            Console.WriteLine(json ? summary.ToJson() : Describe(summary));
            if (result.FirstError is { } firstError)
            {
                await Console.Error.WriteLineAsync($"replay: {summary.Errors} requests failed; the first: {firstError}");
            }

            return summary.Errors == 0 ? 0 : 1;
        }
        catch (Exception e) when (e is FormatException or IOException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"replay: {e.Message}");
            return 2;
        }
    }

    /// <summary>One human-readable line per headline number.</summary>
    public static string Describe(ReplaySummary s) => string.Create(CultureInfo.InvariantCulture, $"""
        {s.Trace}, {s.Pods} pods, policy {s.Policy}, {s.Gateways} gateway(s), {s.Mode} time x{s.TimeScale}, seed {s.Seed}
          requests {s.Requests} (rejected {s.Rejected} over max-model-len {s.MaxModelLen}, errors {s.Errors}), {s.DurationS:F1} s, {s.ThroughputTokS:F0} output tok/s
          TTFT  p50 {s.TtftP50Ms:F1} ms  p90 {s.TtftP90Ms:F1} ms  p99 {s.TtftP99Ms:F1} ms
          TPOT  p50 {s.TpotP50Ms:F1} ms   E2E p50 {s.E2eP50Ms:F1} ms  p99 {s.E2eP99Ms:F1} ms
          prefix hit rate {s.PrefixHitRate:P1}, preemptions {s.Preemptions}, per-pod requests [{string.Join(", ", s.PodRequests)}] (max/mean {s.PodLoadSpread:F2})
        """);
}
