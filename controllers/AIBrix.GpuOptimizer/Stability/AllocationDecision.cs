namespace AIBrix.GpuOptimizer;

/// <summary>What <see cref="GpuAllocator.Update"/> decided.</summary>
/// <param name="Allocation">The allocation in force after the update; null while none could ever be found.</param>
/// <param name="Changed">Whether the replica counts differ from before the update.</param>
/// <param name="Reason">Why, in words for logs and status.</param>
public sealed record AllocationDecision(Allocation? Allocation, bool Changed, string Reason)
{
    /// <summary>The solver's error when no optimum was proven: nothing found (the allocation in force was kept) or the time limit passed.</summary>
    public AllocationError? Error { get; init; }

    /// <summary>
    /// The solver's proven gap for this interval's optimum (<see cref="AllocationResult.Gap"/>): the true optimum costs
    /// at least its cost × (1 − gap). Far under <see cref="HysteresisOptions.MinCostSaving"/> by default (0.5 % against
    /// 10 %), so it never decides whether replicas move.
    /// </summary>
    public double Gap { get; init; }
}
