namespace AIBrix.GpuOptimizer;

/// <summary>When a new optimum may replace the allocation in force (<see cref="GpuAllocator"/>).</summary>
public sealed record HysteresisOptions
{
    /// <summary>
    /// Least relative cost saving, against the current allocation's cost, for which replicas are moved while the
    /// current allocation still covers the load (default 0.1 = 10 %). An allocation that no longer covers the load is
    /// always replaced, whatever the saving.
    /// </summary>
    public double MinCostSaving { get; init; } = 0.1;

    /// <summary>Lists every problem, empty when valid.</summary>
    public IReadOnlyList<string> Validate() =>
        MinCostSaving is >= 0 and < 1 ? [] : [FormattableString.Invariant($"min cost saving {MinCostSaving} must be in [0, 1)")];
}
