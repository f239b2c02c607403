using System.CommandLine;
using System.Globalization;
using AIBrix.Bench.Replay;
using AIBrix.Cli;
using AIBrix.GpuOptimizer;

namespace AIBrix.Bench.GpuOptimizer;

/// <summary>
/// <c>aibrix-bench gpu-plan</c>: profiles (or reads the profiles of) each GPU type, solves the cheapest fleet of each
/// type alone and of the mix for a workload, replays the workload on each fleet in virtual time behind the gateway's
/// routing, and reports cost per hour, SLO attainment and the mix's saving (<see cref="GpuPlanner"/>).
/// </summary>
public static class GpuPlanCommand
{
    /// <summary>The <c>gpu-plan</c> command: options, help and action.</summary>
    public static Command CreateCommand()
    {
        var workload = CliOptions.List("--workload", "trace(s) in any format replay reads (Mooncake .jsonl, Azure .csv, gen:...); several are merged by arrival time", "FILE");
        var gpuNames = CliOptions.List("--gpus", "GPU types to plan with, e.g. A10,L20", "A,B");
        var model = new Option<string>("--model") { HelpName = "NAME", Description = "served model", DefaultValueFactory = _ => "meta-llama/Llama-3.1-8B-Instruct" };
        var profiles = new Option<string?>("--profiles") { HelpName = "DIR", Description = "read each GPU's profile from DIR/<deployment>.json, profiling and writing it there when missing [default: profile every run]" };
        var policy = new Option<string>("--policy") { HelpName = "NAME", Description = "routing in the replays: gpu-split (the optimizer's split of each length bucket, as Mélange assumes) or any strategy the gateway knows (least-request, ...)", DefaultValueFactory = _ => GpuSplitRoutingPolicy.PolicyName };
        var timeScale = CliOptions.Double("--time-scale", 1, "arrivals X times faster than recorded (more load)", positive: true);
        var limit = CliOptions.Int("--limit", int.MaxValue, "first N requests of each workload [default: all]", min: 1);
        var maxInput = CliOptions.Int("--max-input", int.MaxValue, "drop requests with longer prompts (the profile grid's end is the longest it knows) [default: keep all]", min: 1);
        var headroom = CliOptions.Double("--headroom", 1, "solve for the mean load times X (room for bursts), the same for every plan", positive: true);
        var target = CliOptions.Double("--target-attainment", 0.99, "share of requests that must meet the SLOs for a plan to count", positive: true);
        var requests = CliOptions.Int("--requests", 100, "requests per profiling probe", min: 10);
        var inputs = CliOptions.List("--inputs", "input-length buckets to profile [default: 128,256,...,16384]", "N,N,...");
        var outputs = CliOptions.List("--outputs", "output-length buckets to profile [default: 32,64,...,1024]", "N,N,...");
        var seed = CliOptions.Int("--seed", 0, "seed of every random choice", helpName: "S");
        var json = new Option<bool>("--json") { Description = "print the report as one JSON object" };
        var slos = new SloOptionSet();
        var command = new Command("gpu-plan", "cheapest fleet per GPU type and of the mix for a workload (Mélange's ILP on simulated profiles), each replayed in virtual time for its SLO attainment")
        {
            workload, gpuNames, model, profiles, policy, timeScale, limit, maxInput, headroom, target, requests, inputs, outputs, seed, json,
        };
        slos.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var errors = new List<string>();
            var (slo, sloError) = slos.Bind(result);
            if (sloError is not null)
            {
                errors.Add(sloError);
            }

            string[] workloads = result.GetValue(workload)!;
            string[] names = result.GetValue(gpuNames)!;
            if (workloads.Length == 0)
            {
                errors.Add("--workload is required");
            }

            if (names.Length == 0)
            {
                errors.Add("--gpus is required (e.g. A10,L20)");
            }

            if (result.GetValue(target) > 1)
            {
                errors.Add("--target-attainment must be at most 1");
            }

            string modelName = result.GetValue(model)!;
            var simulated = new List<SimulatedGpu>();
            foreach (string name in names.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                var (gpu, gpuErrors) = SimulatedGpu.Create(name, modelName, 32_768);
                errors.AddRange(gpuErrors.Select(e => "--gpus: " + e));
                if (gpu is not null)
                {
                    simulated.Add(gpu);
                }
            }

            var grid = ProfileCommand.GridFrom(result.GetValue(outputs)!, result.GetValue(inputs)!, errors);
            if (errors.Count > 0)
            {
                return CliRunner.UsageError(result, Program.Tool, errors);
            }

            var stdout = result.InvocationConfiguration.Output;
            var stderr = result.InvocationConfiguration.Error;
            IReadOnlyList<TraceRequest> trace;
            try
            {
                trace = Merge(workloads, result.GetValue(limit), result.GetValue(maxInput), out int dropped);
                if (dropped > 0)
                {
                    await stderr.WriteLineAsync($"gpu-plan: dropped {dropped} requests with prompts over --max-input {result.GetValue(maxInput)}");
                }
            }
            catch (Exception e) when (e is FormatException or IOException)
            {
                await stderr.WriteLineAsync($"gpu-plan: {e.Message}");
                return 2;
            }

            var plan = new List<PlanGpu>();
            foreach (var gpu in simulated)
            {
                var settings = new ProfileSettings
                {
                    Model = modelName,
                    Deployment = SimulatedGpu.DeploymentName(modelName, gpu.Spec.Name),
                    Grid = grid!,
                    Slos = slo!,
                    RequestsPerProbe = result.GetValue(requests),
                    Seed = result.GetValue(seed),
                };
                var (profile, problem) = await ProfileAsync(gpu, settings, result.GetValue(profiles), stderr, cancellationToken);
                if (profile is null)
                {
                    await stderr.WriteLineAsync($"gpu-plan: {problem}");
                    return 2;
                }

                plan.Add(new PlanGpu(gpu, profile));
            }

            var planner = new GpuPlanner(plan, slo!, modelName, result.GetValue(policy)!, result.GetValue(seed))
            {
                TargetAttainment = result.GetValue(target),
                TimeScale = result.GetValue(timeScale),
                Headroom = result.GetValue(headroom),
            };
            bool asJson = result.GetValue(json);
            GpuPlanReport report;
            try
            {
                report = planner.Run(string.Join(",", workloads.Select(Path.GetFileName)), trace, asJson ? null : line => stdout.WriteLine(line));
            }
            catch (ArgumentException e)
            {
                await stderr.WriteLineAsync($"gpu-plan: {e.Message}");
                return 2;
            }

            await stdout.WriteLineAsync(asJson ? report.ToJson() : Describe(report));
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The workloads merged by arrival; each file's block ids are moved to their own range so prompts of different
    /// files never share a prefix by accident.
    /// </summary>
    internal static IReadOnlyList<TraceRequest> Merge(IReadOnlyList<string> workloads, int limit, int maxInput, out int dropped)
    {
        var all = new List<TraceRequest>();
        dropped = 0;
        for (int f = 0; f < workloads.Count; f++)
        {
            long offset = (long)f << 40;
            foreach (var r in TraceReader.Read(workloads[f], limit == int.MaxValue ? null : limit))
            {
                if (r.InputTokens > maxInput)
                {
                    dropped++;
                    continue;
                }

                all.Add(f == 0 ? r : r with { BlockIds = [.. r.BlockIds.Select(id => id + offset)] });
            }
        }

        return [.. all.OrderBy(r => r.ArrivalSeconds)];
    }

    private static async Task<(GpuProfile? Profile, string? Problem)> ProfileAsync(
        SimulatedGpu gpu, ProfileSettings settings, string? directory, TextWriter log, CancellationToken cancellationToken)
    {
        string? path = directory is null ? null : Path.Combine(directory, settings.Deployment + ".json");
        if (path is not null && File.Exists(path))
        {
            var read = await GpuProfileJson.ReadFileAsync(path, cancellationToken);
            return read.Succeeded && read.Profiles.Count == 1
                ? (read.Profiles[0], null)
                : (null, string.Join("; ", read.Errors.DefaultIfEmpty($"{path}: expected one profile")));
        }

        await log.WriteLineAsync($"gpu-plan: profiling {gpu.Spec.Name} ({settings.Grid.Count} buckets)...");
        var profile = new GpuProfiler(gpu, settings, TimeProvider.System).Run();
        if (path is not null)
        {
            Directory.CreateDirectory(directory!);
            await File.WriteAllTextAsync(path, GpuProfileJson.Serialize(profile, indented: true) + Environment.NewLine, cancellationToken);
        }

        return (profile, null);
    }

    private static string Describe(GpuPlanReport r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Workload}: {r.Requests} requests, {r.RatePerSecond} req/s; ") + (r.SavingPct is { } saving
            ? string.Create(CultureInfo.InvariantCulture, $"the mix saves {saving:0.##} % against {r.Baseline} alone (target attainment {r.TargetAttainment:P0})")
            : string.Create(CultureInfo.InvariantCulture, $"no saving to report: {(r.Heterogeneous is null ? "the mix is infeasible" : "no single GPU type meets the target attainment")} ({r.TargetAttainment:P0})"));
}
