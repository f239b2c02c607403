using AIBrix.GpuOptimizer;

namespace AIBrix.Controllers.GpuOptimizer;

/// <summary>Settings of the GPU optimizer controller; the defaults are AIBrix's (a decision every 10 s).</summary>
public sealed record GpuOptimizerOptions
{
    /// <summary>Namespaces whose Deployments are watched; empty = all.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>Time between two decisions for every model.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The sliding window of request traces whose mean rate is the load solved for.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The gateway load monitor's interval: request-trace keys are aligned to it.</summary>
    public TimeSpan TraceInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The integer program's settings.</summary>
    public SolverOptions Solver { get; init; } = new();

    /// <summary>When a new optimum replaces the counts in force.</summary>
    public HysteresisOptions Hysteresis { get; init; } = new();

    /// <summary>Clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Every problem with these settings.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Interval < TimeSpan.FromSeconds(1))
        {
            errors.Add($"Interval = {Interval}: must be at least 1 s");
        }

        if (TraceInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add($"TraceInterval = {TraceInterval}: must be at least 1 s");
        }

        if (Window < TraceInterval)
        {
            errors.Add($"Window = {Window}: must be at least one trace interval ({TraceInterval})");
        }

        errors.AddRange(Solver.Validate());
        errors.AddRange(Hysteresis.Validate());
        return errors;
    }
}
