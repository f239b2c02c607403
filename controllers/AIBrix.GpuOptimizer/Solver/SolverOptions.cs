namespace AIBrix.GpuOptimizer;

/// <summary>Settings of <see cref="MelangeSolver"/>.</summary>
public sealed record SolverOptions
{
    /// <summary>
    /// Slices each bucket's rate is cut into; each slice goes to one GPU type, so a bucket's load can be split across
    /// types in steps of 1/SliceFactor. AIBrix's default is 4. Larger is finer (never costlier) but slower to prove.
    /// </summary>
    public int SliceFactor { get; init; } = 4;

    /// <summary>Longest a solve may take; past it the result is a <see cref="AllocationErrorKind.TimeLimit"/> error.</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(1);

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

        return errors;
    }
}
