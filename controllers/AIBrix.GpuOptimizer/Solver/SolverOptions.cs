namespace AIBrix.GpuOptimizer;

/// <summary>Settings of <see cref="MelangeSolver"/>.</summary>
public sealed record SolverOptions
{
    /// <summary>
    /// Slices each bucket's rate is cut into; each slice goes to one GPU type, so a bucket's load can be split across
    /// types in steps of 1/SliceFactor. AIBrix's default is 4. Larger is finer (never costlier) but slower to prove.
    /// </summary>
    public int SliceFactor { get; init; } = 4;

    /// <summary>
    /// Longest a solve may take; past it the result is a <see cref="AllocationErrorKind.TimeLimit"/> error whose
    /// <see cref="AllocationError.BestFound"/> is the best allocation seen (with <see cref="PrimalHeuristic"/> there
    /// always is one when any fits) and whose <see cref="AllocationResult.Gap"/> says how far from proven it is. A safety
    /// net: with the defaults a 64-bucket × 5-type solve takes well under 100 ms on an idle machine (docs/benchmarks.md).
    /// </summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Stop once the cost is proven within this fraction of the optimum (0 = prove the exact optimum). Default 0.005:
    /// on large fleets most of an exact solve's time goes into the last fraction of a percent (seconds at 400 req/s),
    /// and 0.5 % is far below the allocator's hysteresis (<see cref="HysteresisOptions.MinCostSaving"/>, 10 %): a
    /// saving that small never moves replicas anyway, so proving it buys nothing. The result's
    /// <see cref="AllocationResult.Gap"/> is the gap actually proven (often 0).
    /// </summary>
    public double RelativeGap { get; init; } = 0.005;

    /// <summary>
    /// Start CP-SAT from a fast feasible allocation (<see cref="SolverMethod.CpSat"/> and <see cref="SolverMethod.ScaledCpSat"/>):
    /// the LP relaxation's slice shares rounded and repaired, then a local search over the replica counts, also from the
    /// hint given to <see cref="MelangeSolver.Solve"/>. When the time limit passes before CP-SAT has an allocation, this
    /// one is returned as <see cref="AllocationError.BestFound"/>, its gap to the LP's bound reported.
    /// </summary>
    public bool PrimalHeuristic { get; init; } = true;

    /// <summary>How to search; <see cref="SolverMethod.ScaledCpSat"/> by default (the fastest with the gap and the heuristic, docs/benchmarks.md).</summary>
    public SolverMethod Method { get; init; } = SolverMethod.ScaledCpSat;

    /// <summary>
    /// <see cref="SolverMethod.BranchAndBound"/> only: the longest CP-SAT may take to decide whether one candidate count
    /// vector can carry whole slices when the rounding repair could not place them. A candidate left undecided is not
    /// taken, and its cost bounds the optimum from below: the result's <see cref="AllocationResult.Gap"/> says how far
    /// from proven it is (0.05 % on the 400 req/s benchmark, docs/benchmarks.md). The longest whole solve stays
    /// <see cref="TimeLimit"/>.
    /// </summary>
    public TimeSpan CountCheckLimit { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Lists every problem, empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (SliceFactor is < 1 or > 1000)
        {
            errors.Add($"slice factor {SliceFactor} must be between 1 and 1000");
        }

        if (TimeLimit <= TimeSpan.Zero || TimeLimit > TimeSpan.FromHours(1))
        {
            errors.Add($"time limit {TimeLimit} must be positive and at most an hour");
        }

        if (RelativeGap is < 0 or >= 1 || double.IsNaN(RelativeGap))
        {
            errors.Add($"relative gap {RelativeGap} must be in [0, 1)");
        }

        if (CountCheckLimit <= TimeSpan.Zero || CountCheckLimit > TimeLimit)
        {
            errors.Add($"count check limit {CountCheckLimit} must be positive and at most the time limit {TimeLimit}");
        }

        if (!Enum.IsDefined(Method))
        {
            errors.Add($"solver method {(int)Method} is not one of {string.Join(", ", Enum.GetNames<SolverMethod>())}");
        }

        return errors;
    }
}
