namespace AIBrix.GpuOptimizer;

/// <summary>Replicas of one GPU type in an allocation.</summary>
/// <param name="Gpu">The deployment.</param>
/// <param name="Replicas">How many replicas.</param>
/// <param name="Load">Load assigned to the type, in replicas' worth (Σ slice rate / the type's max rate for the slice's bucket); at most <paramref name="Replicas"/>.</param>
/// <param name="Cost">Replicas × the profile's cost.</param>
public sealed record GpuAllocation(string Gpu, int Replicas, double Load, double Cost);

/// <summary>Where one bucket's load went.</summary>
/// <param name="Row">Output bucket.</param>
/// <param name="Column">Input bucket.</param>
/// <param name="Rate">The bucket's requests per second.</param>
/// <param name="SlicesByGpu">Slices of the bucket given to each GPU type (they add up to the slice factor).</param>
public sealed record BucketAssignment(int Row, int Column, double Rate, IReadOnlyDictionary<string, int> SlicesByGpu);

/// <summary>A replica count per GPU type that covers a load, with where each bucket's load goes.</summary>
/// <param name="Gpus">One entry per GPU type, in the problem's order.</param>
/// <param name="Buckets">The buckets with load, and their split.</param>
public sealed record Allocation(IReadOnlyList<GpuAllocation> Gpus, IReadOnlyList<BucketAssignment> Buckets)
{
    /// <summary>Total cost: Σ replicas × cost.</summary>
    public double Cost => Gpus.Sum(g => g.Cost);

    /// <summary>Replicas of <paramref name="gpu"/>; 0 when it has none or is not part of the allocation.</summary>
    public int ReplicasOf(string gpu) => Gpus.FirstOrDefault(g => g.Gpu == gpu)?.Replicas ?? 0;

    /// <summary>The replica counts by GPU type.</summary>
    public IReadOnlyDictionary<string, int> Replicas => Gpus.ToDictionary(g => g.Gpu, g => g.Replicas, StringComparer.Ordinal);

    /// <inheritdoc />
    public override string ToString() =>
        string.Join(", ", Gpus.Select(g => $"{g.Gpu}={g.Replicas}")) + FormattableString.Invariant($" (cost {Cost:0.###})");
}
