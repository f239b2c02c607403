namespace AIBrix.GpuOptimizer;

/// <summary>Why a solve gave no optimal allocation.</summary>
public enum AllocationErrorKind
{
    /// <summary>The problem itself is wrong (shapes, names, limits, options).</summary>
    InvalidInput,

    /// <summary>No allocation within the limits covers the load.</summary>
    Infeasible,

    /// <summary>The time limit passed before optimality was proven (<see cref="AllocationError.BestFound"/> may hold the best allocation seen).</summary>
    TimeLimit,

    /// <summary>The solver failed for another reason.</summary>
    SolverFailure,
}

/// <summary>A failed solve: what kind and the operator-facing reason.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Message">What went wrong and what to change.</param>
public sealed record AllocationError(AllocationErrorKind Kind, string Message)
{
    /// <summary>For <see cref="AllocationErrorKind.TimeLimit"/>: a feasible, possibly not optimal, allocation found in time.</summary>
    public Allocation? BestFound { get; init; }
}

/// <summary>An optimal allocation, or why there is none.</summary>
public sealed record AllocationResult
{
    private AllocationResult(Allocation? allocation, AllocationError? error)
    {
        Allocation = allocation;
        Error = error;
    }

    /// <summary>The optimal allocation; null on error.</summary>
    public Allocation? Allocation { get; }

    /// <summary>Why there is no allocation; null on success.</summary>
    public AllocationError? Error { get; }

    /// <summary>
    /// How far the allocation's cost may be above the optimum, as a fraction of its cost: 0 when proven optimal; above 0
    /// when <see cref="SolverOptions.RelativeGap"/> allowed it or when a candidate count could not be settled within
    /// <see cref="SolverOptions.CountCheckLimit"/> (the optimum is then at least cost × (1 − gap)).
    /// </summary>
    public double Gap { get; init; }

    /// <summary>Whether <see cref="Allocation"/> is set.</summary>
    public bool Succeeded => Allocation is not null;

    /// <summary>A success.</summary>
    public static AllocationResult Optimal(Allocation allocation) => new(allocation ?? throw new ArgumentNullException(nameof(allocation)), null);

    /// <summary>A failure.</summary>
    public static AllocationResult Failed(AllocationError error) => new(null, error ?? throw new ArgumentNullException(nameof(error)));

    internal static AllocationResult Failed(AllocationErrorKind kind, string message) => Failed(new AllocationError(kind, message));
}
