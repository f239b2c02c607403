using System.CommandLine;
using System.Globalization;
using AIBrix.Cli;
using AIBrix.GpuOptimizer;
using AIBrix.GpuOptimizer.Redis;
using StackExchange.Redis;

namespace AIBrix.Bench.GpuOptimizer;

/// <summary>
/// <c>aibrix-bench profile</c>: profiles the simulated engine of one GPU type in virtual time
/// (<see cref="GpuProfiler"/>) and writes AIBrix's profile JSON to a file, to standard output, or to Redis under
/// <c>aibrix:profile_&lt;model&gt;_&lt;deployment&gt;</c>.
/// </summary>
public static class ProfileCommand
{
    /// <summary>The <c>profile</c> command: options, help and action.</summary>
    public static Command CreateCommand()
    {
        var gpu = new Option<string>("--gpu") { HelpName = "NAME", Description = "GPU type to simulate: A10, L4, L20, L40S, A100, H100 or H200", Required = true };
        var model = new Option<string>("--model") { HelpName = "NAME", Description = "served model (its architecture must be one the simulator knows, e.g. meta-llama/Llama-3.1-8B-Instruct)", Required = true };
        var deployment = new Option<string?>("--deployment") { HelpName = "NAME", Description = "deployment serving the model on this GPU (AIBrix's 'gpu' key) [default: <model>-<gpu>]" };
        var cost = new Option<double?>("--cost") { HelpName = "X", Description = "price of one replica per hour [default: the GPU's indicative price, docs/gpu-optimizer.md]" };
        var output = new Option<string?>("--out") { HelpName = "FILE", Description = "write the profile JSON here [default: standard output unless --redis]" };
        var redis = new Option<string?>("--redis") { HelpName = "HOST:PORT", Description = "also store the profile in this Redis under aibrix:profile_<model>_<deployment>" };
        var inputs = CliOptions.List("--inputs", "input-length buckets, ascending [default: 128,256,...,16384]", "N,N,...");
        var outputs = CliOptions.List("--outputs", "output-length buckets, ascending [default: 32,64,...,1024]", "N,N,...");
        var requests = CliOptions.Int("--requests", 100, "requests per probe (one rate on one bucket)", min: 10);
        var maxModelLen = CliOptions.Int("--max-model-len", 32_768, "engine context length (capped by the GPU's KV cache)", min: 2);
        var seed = CliOptions.Int("--seed", 0, "seed of the arrival times", helpName: "S");
        var slos = new SloOptionSet();
        var command = new Command("profile", "profile one GPU type on the simulated engine (virtual time): per length bucket, the highest request rate one replica serves within the SLOs; writes AIBrix's profile JSON")
        {
            gpu, model, deployment, cost, output, redis, inputs, outputs, requests, maxModelLen, seed,
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

            string modelName = result.GetValue(model)!;
            var (simulated, gpuErrors) = SimulatedGpu.Create(result.GetValue(gpu)!, modelName, result.GetValue(maxModelLen), result.GetValue(cost));
            errors.AddRange(gpuErrors.Select(e => "--gpu: " + e));
            var grid = GridFrom(result.GetValue(outputs)!, result.GetValue(inputs)!, errors);
            if (errors.Count > 0)
            {
                return CliRunner.UsageError(result, Program.Tool, errors);
            }

            var settings = new ProfileSettings
            {
                Model = modelName,
                Deployment = result.GetValue(deployment) ?? SimulatedGpu.DeploymentName(modelName, simulated!.Spec.Name),
                Grid = grid!,
                Slos = slo!,
                RequestsPerProbe = result.GetValue(requests),
                Seed = result.GetValue(seed),
            };
            var profile = new GpuProfiler(simulated!, settings, TimeProvider.System).Run();
            var stdout = result.InvocationConfiguration.Output;
            string json = GpuProfileJson.Serialize(profile, indented: true);
            if (result.GetValue(output) is { } path)
            {
                await File.WriteAllTextAsync(path, json + Environment.NewLine, cancellationToken);
                await stdout.WriteLineAsync($"wrote {path}: {Describe(profile)}");
            }
            else if (result.GetValue(redis) is null)
            {
                await stdout.WriteLineAsync(json);
            }

            if (result.GetValue(redis) is { } hostPort)
            {
                await using var connection = await ConnectionMultiplexer.ConnectAsync(hostPort);
                await new RedisProfileStore(connection).SaveAsync(modelName, profile);
                await stdout.WriteLineAsync($"stored {GpuProfileKeys.For(modelName, profile.Gpu)} in {hostPort}: {Describe(profile)}");
            }

            return 0;
        });
        return command;
    }

    /// <summary>"l20: 48 buckets, 41 servable, up to 12.3 req/s, $1.4/h".</summary>
    internal static string Describe(GpuProfile profile)
    {
        double[] rates = [.. profile.Tputs.ToRows().SelectMany(r => r)];
        return string.Create(CultureInfo.InvariantCulture,
            $"{profile.Gpu}: {rates.Length} buckets, {rates.Count(r => r > 0)} servable within the SLOs, up to {rates.Max():0.###} req/s per replica, cost {profile.Cost}/h");
    }

    /// <summary>The grid from the list options (defaults when empty); adds an error per bad value.</summary>
    internal static BucketGrid? GridFrom(string[] outputs, string[] inputs, List<string> errors)
    {
        var outs = Lengths("--outputs", outputs, ProfileSettings.DefaultOutputs, errors);
        var ins = Lengths("--inputs", inputs, ProfileSettings.DefaultInputs, errors);
        if (outs is null || ins is null)
        {
            return null;
        }

        var grid = new BucketGrid(outs, ins);
        var problems = grid.Validate();
        errors.AddRange(problems.Select(p => p.Replace("indexes[0] (output lengths)", "--outputs", StringComparison.Ordinal)
            .Replace("indexes[1] (input lengths)", "--inputs", StringComparison.Ordinal)));
        return problems.Count == 0 ? grid : null;
    }

    private static IReadOnlyList<double>? Lengths(string name, string[] values, IReadOnlyList<double> defaults, List<string> errors)
    {
        if (values.Length == 0)
        {
            return defaults;
        }

        var lengths = new List<double>();
        foreach (string value in values)
        {
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1)
            {
                errors.Add($"{name}: '{value}' is not a whole number of at least 1");
                return null;
            }

            lengths.Add(n);
        }

        return lengths;
    }
}
