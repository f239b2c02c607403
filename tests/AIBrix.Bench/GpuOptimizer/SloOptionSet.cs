using System.CommandLine;
using AIBrix.Cli;
using AIBrix.GpuOptimizer;

namespace AIBrix.Bench.GpuOptimizer;

/// <summary>The SLO options <c>profile</c> and <c>gpu-plan</c> share, bound to AIBrix's <see cref="ProfileSlos"/>.</summary>
internal sealed class SloOptionSet
{
    public Option<double?> TtftMs { get; } = Optional("--slo-ttft-ms", "most time to first token, ms");

    public Option<double?> TpotMs { get; } = Optional("--slo-tpot-ms", "most time per output token after the first, ms");

    public Option<double?> E2eMs { get; } = Optional("--slo-e2e-ms", "most end-to-end latency, ms");

    public Option<int> Percentile { get; } = CliOptions.Int("--slo-percentile", 99, "percentile the latency targets apply to (0 = the mean)", min: 0, max: 100, helpName: "P");

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(TtftMs);
        command.Add(TpotMs);
        command.Add(E2eMs);
        command.Add(Percentile);
    }

    /// <summary>The SLOs given, or an error when none is.</summary>
    public (ProfileSlos? Slos, string? Error) Bind(ParseResult result)
    {
        double? ttft = result.GetValue(TtftMs), tpot = result.GetValue(TpotMs), e2e = result.GetValue(E2eMs);
        if (ttft is null && tpot is null && e2e is null)
        {
            return (null, "give at least one SLO: --slo-ttft-ms, --slo-tpot-ms or --slo-e2e-ms");
        }

        return (new ProfileSlos { Percentile = result.GetValue(Percentile), Ttft = ttft / 1000, Tpot = tpot / 1000, E2e = e2e / 1000 }, null);
    }

    private static Option<double?> Optional(string name, string description) => new(name)
    {
        HelpName = "MS",
        Description = description,
        CustomParser = r => double.TryParse(r.Tokens[0].Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double ms)
            && double.IsFinite(ms) && ms > 0
            ? ms
            : Fail(r, name),
    };

    private static double? Fail(System.CommandLine.Parsing.ArgumentResult result, string name)
    {
        result.AddError($"{name}: '{result.Tokens[0].Value}' is not a positive number");
        return null;
    }
}
