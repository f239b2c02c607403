using System.CommandLine;
using AIBrix.Cli;

namespace AIBrix.Bench.Replay;

/// <summary>The options <c>replay</c> and <c>compare</c> share, bound to a <see cref="ReplayOptions"/>.</summary>
internal sealed class ReplayOptionSet
{
    private static readonly ReplayOptions Defaults = new() { TracePath = "" };

    public Option<string> Trace { get; } = new("--trace")
    {
        HelpName = "FILE",
        Description = "Mooncake .jsonl or Azure .csv trace (e.g. tests/data/mooncake/conversation_trace.jsonl), or a generated workload: gen:shared-prefix?groups=8&system=4096&rate=10 (docs/benchmarks.md)",
        Required = true,
    };

    public Option<int> Pods { get; } = CliOptions.Int("--pods", Defaults.Pods, "simulated engines (pods)", min: 1);

    public Option<int> Seed { get; } = CliOptions.Int("--seed", Defaults.Seed, "seed of every random choice", helpName: "S");

    public Option<int?> Limit { get; } = new("--limit")
    {
        HelpName = "N",
        Description = "replay only the first N requests [default: all]",
        CustomParser = r => int.TryParse(r.Tokens[0].Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n >= 1
            ? n
            : Fail(r),
    };

    public Option<double> TimeScale { get; } = CliOptions.Double("--time-scale", Defaults.TimeScale, "arrivals X times faster than recorded (more load)", positive: true);

    public Option<double> ScrapeIntervalMs { get; } = CliOptions.Double("--scrape-interval-ms", Defaults.ScrapeIntervalSeconds * 1000, "how often policies see fresh engine metrics, as the gateway's scrape interval", positive: true, helpName: "MS");

    public Option<int> NumGpuBlocks { get; } = CliOptions.Int("--num-gpu-blocks", Defaults.NumGpuBlocks, "KV-cache capacity per engine in 16-token blocks", min: 1, helpName: "B");

    public Option<int> MaxModelLen { get; } = CliOptions.Int("--max-model-len", Defaults.MaxModelLen,
        "engines' context length (vLLM's flag); longer requests get the engine's 400 and count as rejected", min: 2);

    /// <summary>Adds the shared options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(Trace);
        command.Add(Pods);
        command.Add(TimeScale);
        command.Add(Seed);
        command.Add(Limit);
        command.Add(ScrapeIntervalMs);
        command.Add(NumGpuBlocks);
        command.Add(MaxModelLen);
    }

    public ReplayOptions Bind(ParseResult result, string policy) => new()
    {
        TracePath = result.GetValue(Trace)!,
        Pods = result.GetValue(Pods),
        Policy = policy,
        Seed = result.GetValue(Seed),
        Limit = result.GetValue(Limit),
        TimeScale = result.GetValue(TimeScale),
        ScrapeIntervalSeconds = result.GetValue(ScrapeIntervalMs) / 1000,
        NumGpuBlocks = result.GetValue(NumGpuBlocks),
        MaxModelLen = result.GetValue(MaxModelLen),
    };

    private static int? Fail(System.CommandLine.Parsing.ArgumentResult result)
    {
        result.AddError($"--limit: '{result.Tokens[0].Value}' is not a whole number of at least 1");
        return null;
    }
}
