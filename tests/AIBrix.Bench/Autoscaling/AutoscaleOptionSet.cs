using System.CommandLine;
using AIBrix.Autoscaling.Annotations;
using AIBrix.Bench.Autoscaling.ColdStart;
using AIBrix.Bench.Replay;
using AIBrix.Cli;

namespace AIBrix.Bench.Autoscaling;

/// <summary>The options <c>autoscale</c> and <c>autoscale-compare</c> share, bound to an <see cref="AutoscaleOptions"/>.</summary>
internal sealed class AutoscaleOptionSet
{
    private static readonly AutoscaleOptions Defaults = new() { Replay = new ReplayOptions { TracePath = "" } };
    private readonly ReplayOptionSet _replay = new();

    public Option<string> Metric { get; } = new("--metric")
    {
        HelpName = "NAME",
        Description = $"the engine metric scaled on: {string.Join(", ", ScalingMetrics.Names)}",
        DefaultValueFactory = _ => Defaults.Metric,
    };

    public Option<double?> Target { get; } = new("--target")
    {
        HelpName = "V",
        Description = "the per-pod target [default: 0.5 for gpu_cache_usage_perc, 24 for num_requests_running, 2 for num_requests_waiting]",
    };

    public Option<int> Min { get; } = CliOptions.Int("--min", Defaults.Min, "fewest pods; the fleet starts with this many, ready", min: 1);

    public Option<int> Max { get; } = CliOptions.Int("--max", Defaults.Max, "most pods", min: 1);

    public Option<double> Interval { get; } = CliOptions.Double("--interval-s", Defaults.IntervalSeconds, "seconds between scrapes and decisions (the controller's reconcile interval)", positive: true, helpName: "S");

    public Option<double> Startup { get; } = CliOptions.Double("--pod-startup-s", Defaults.PodStartupSeconds, "seconds from a pod's creation to ready (counted as cost)", min: 0, helpName: "S");

    public Option<double> ScrapeDelay { get; } = CliOptions.Double("--scrape-delay-s", Defaults.ScrapeDelaySeconds, "seconds the metric a decision reads lags behind the pods (0: read at the decision)", min: 0, helpName: "S");

    public Option<string?> StartupModel { get; } = new("--startup-model")
    {
        HelpName = "remote:S,disk:S,memory:S",
        Description = "start-up seconds by where the pod's node holds the model (replaces --pod-startup-s) [default tiers: remote:180,disk:60,memory:20]; see docs/runtime-coldstart.md",
    };

    public Option<int> Nodes { get; } = CliOptions.Int("--nodes", new ColdStartOptions().Nodes, "nodes in the pool (with --startup-model)", min: 1);

    public Option<int> NodeSlots { get; } = CliOptions.Int("--node-slots", new ColdStartOptions().SlotsPerNode, "model pods one node runs at once (with --startup-model)", min: 1);

    public Option<string?> WarmNodes { get; } = new("--warm-nodes")
    {
        HelpName = "memory:M,disk:D",
        Description = "nodes besides the --min pods' that hold the model at the start, in memory and on disk (with --startup-model) [default: none]",
    };

    public Option<bool> PlacementHint { get; } = new("--placement-hint") { Description = "new pods prefer nodes holding the model, best tier first (the cold-start controller's node affinity)" };

    public Option<string> Policy { get; } = new("--policy")
    {
        HelpName = "NAME",
        Description = "routing strategy of the gateway in front (any the gateway knows, or oracle)",
        DefaultValueFactory = _ => "least-request",
    };

    public Option<bool> ArrivalSignal { get; } = new("--arrival-signal")
    {
        Description = "KPA/APA: also read the gateway's per-model arrival rate (aibrix_gateway_model_arrival_rate) as the demand signal (docs/autoscaling.md)",
    };

    public Option<bool> VirtualTime { get; } = new("--virtual-time") { Description = "run on the discrete-event clock (the only mode; accepted for symmetry with replay)" };

    public Option<string[]> Set { get; } = new("--set")
    {
        HelpName = "KEY=VALUE",
        Description = $"a PodAutoscaler setting, as its annotation {AutoscalingAnnotations.Prefix}KEY takes it (e.g. panic-threshold=3, scale-down-cooldown-window=120s, window=30s); repeatable; see docs/autoscaling.md",
        DefaultValueFactory = _ => [],
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>Adds the shared options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(_replay.Trace);
        command.Add(Metric);
        command.Add(Target);
        command.Add(Min);
        command.Add(Max);
        command.Add(Interval);
        command.Add(Startup);
        command.Add(ScrapeDelay);
        command.Add(StartupModel);
        command.Add(Nodes);
        command.Add(NodeSlots);
        command.Add(WarmNodes);
        command.Add(PlacementHint);
        command.Add(ArrivalSignal);
        command.Add(Policy);
        command.Add(_replay.TimeScale);
        command.Add(_replay.Seed);
        command.Add(_replay.Limit);
        command.Add(VirtualTime);
        command.Add(Set);
        command.Add(_replay.ScrapeIntervalMs);
        command.Add(_replay.NumGpuBlocks);
        command.Add(_replay.MaxModelLen);
    }

    /// <summary>The options for <paramref name="autoscaler"/>; problems with <c>--set</c>'s syntax go to <paramref name="errors"/>.</summary>
    public AutoscaleOptions Bind(ParseResult result, string autoscaler, List<string> errors) => new()
    {
        Replay = _replay.Bind(result, result.GetValue(Policy)!),
        Autoscaler = autoscaler,
        Metric = result.GetValue(Metric)!,
        Target = result.GetValue(Target),
        Min = result.GetValue(Min),
        Max = result.GetValue(Max),
        IntervalSeconds = result.GetValue(Interval),
        PodStartupSeconds = result.GetValue(Startup),
        ScrapeDelaySeconds = result.GetValue(ScrapeDelay),
        ArrivalSignal = result.GetValue(ArrivalSignal),
        Settings = ParseSettings(result.GetValue(Set)!, errors),
        ColdStart = BindColdStart(result, errors),
    };

    private ColdStartOptions? BindColdStart(ParseResult result, List<string> errors)
    {
        if (result.GetValue(StartupModel) is not { } text)
        {
            if (result.GetValue(WarmNodes) is not null || result.GetValue(PlacementHint))
            {
                errors.Add("--warm-nodes and --placement-hint need --startup-model");
            }

            return null;
        }

        var model = ColdStart.StartupModel.Parse(text, out string? error);
        if (model is null)
        {
            errors.Add(error!);
            return null;
        }

        var options = new ColdStartOptions { Startup = model, Nodes = result.GetValue(Nodes), SlotsPerNode = result.GetValue(NodeSlots), PlacementHint = result.GetValue(PlacementHint) };
        return result.GetValue(WarmNodes) is { } warm ? options.WithWarmNodes(warm, errors) : options;
    }

    /// <summary>Reads <c>key=value</c> pairs; a key given twice or a pair without '=' is an error.</summary>
    public static Dictionary<string, string> ParseSettings(IEnumerable<string> pairs, List<string> errors)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in pairs)
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string key = eq > 0 ? pair[..eq].Trim() : "";
            if (key.StartsWith(AutoscalingAnnotations.Prefix, StringComparison.Ordinal))
            {
                key = key[AutoscalingAnnotations.Prefix.Length..];
            }

            if (key.Length == 0)
            {
                errors.Add($"--set: '{pair}' is not KEY=VALUE");
            }
            else if (!settings.TryAdd(key, pair[(eq + 1)..].Trim()))
            {
                errors.Add($"--set: '{key}' is given twice");
            }
        }

        return settings;
    }
}
