using AIBrix.Autoscaling;
using AIBrix.Bench.Autoscaling.ColdStart;
using AIBrix.Bench.Replay;

namespace AIBrix.Bench.Autoscaling;

/// <summary>One closed-loop run's outcome: the replay's measurements and the fleet's history.</summary>
public sealed class AutoscaleResult
{
    public required AutoscaleOptions Options { get; init; }
    public required ReplayResult Replay { get; init; }
    public required FleetHistory Fleet { get; init; }

    /// <summary>Each decision that changed the count, with its reason (library strategies).</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>The cold-start model's pool and pod starts, when the run had one.</summary>
    public ColdStartScaler? ColdStart { get; init; }

    /// <summary>The strategy's label in reports.</summary>
    public string Label => Options.Autoscaler.ToUpperInvariant() is var s && s == "ORACLE" ? "oracle" : Options.Autoscaler.ToUpperInvariant();

    /// <summary>The headline numbers.</summary>
    public AutoscaleSummary Summarise() => AutoscaleSummary.Of(this);
}

/// <summary>
/// Runs the closed loop: the trace's arrivals through the gateway pipeline and routing policy of a
/// <see cref="VirtualReplay"/> to simulated engines, whose fleet the strategy resizes every interval.
/// </summary>
public static class AutoscaleRun
{
    /// <summary>
    /// The settings the library strategy would run with; errors (bad <c>--set</c> keys or values) go to
    /// <paramref name="errors"/>. Null for the oracle, which has none.
    /// </summary>
    public static AutoscalerSettings? Check(AutoscaleOptions options, List<string> errors, List<string> warnings)
    {
        errors.AddRange(options.Validate());
        if (options.ArrivalSignal && !options.Autoscaler.Equals("kpa", StringComparison.OrdinalIgnoreCase) && !options.Autoscaler.Equals("apa", StringComparison.OrdinalIgnoreCase))
        {
            warnings.Add("--arrival-signal has an effect on kpa and apa only");
        }

        if (errors.Count > 0 || options.Autoscaler.Equals(OracleScaler.Name, StringComparison.OrdinalIgnoreCase))
        {
            if (errors.Count == 0 && options.Settings.Count > 0)
            {
                warnings.Add("--set has no effect on the oracle");
            }

            return null;
        }

        return LibraryScaler.Settings(options, errors, warnings);
    }

    /// <summary>Runs one strategy; <see cref="ArgumentException"/> for options that do not validate.</summary>
    public static AutoscaleResult Run(AutoscaleOptions options, IReadOnlyList<TraceRequest> trace, Action<double>? progress = null)
    {
        var errors = new List<string>();
        var settings = Check(options, errors, []);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors));
        }

        IFleetScaler strategy = settings is null ? OracleScaler.Create(options, trace) : LibraryScaler.Create(options, settings);
        var coldStart = options.ColdStart is { } cold ? new ColdStartScaler(strategy, cold, options.Min, options.Replay.Seed) : null;
        IFleetScaler scaler = coldStart ?? strategy;
        var replay = new VirtualReplay(options.Replay with { Pods = options.Min }, trace, scaler);
        var result = replay.Run(progress);
        return new AutoscaleResult
        {
            Options = options,
            Replay = result,
            Fleet = replay.Fleet,
            Reasons = strategy is LibraryScaler library ? library.Reasons : [],
            ColdStart = coldStart,
        };
    }
}
