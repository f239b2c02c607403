namespace AIBrix.GpuOptimizer;

/// <summary>What to solve: a request mix and the GPU types that may serve it. Every profile must share the load's grid.</summary>
/// <param name="Load">Requests per second per bucket.</param>
/// <param name="Pools">The GPU types, each with its profile and replica limits.</param>
public sealed record AllocationProblem(LoadHistogram Load, IReadOnlyList<GpuPool> Pools)
{
    /// <summary>Lists every problem with the input, empty when it can be solved.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>(Load.Validate());
        if (Pools.Count == 0)
        {
            errors.Add("no GPU types to allocate: give at least one profile");
        }

        foreach (var duplicate in Pools.GroupBy(p => p.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"GPU type '{duplicate.Key}' is given {duplicate.Count()} times");
        }

        foreach (var pool in Pools)
        {
            errors.AddRange(pool.Profile.Validate().Select(e => $"profile '{pool.Name}': {e}"));
            if (!pool.Profile.Grid.Equals(Load.Grid))
            {
                errors.Add($"profile '{pool.Name}' is measured on buckets {pool.Profile.Grid} but the load on {Load.Grid}: " +
                           "every profile of a model must share one grid");
            }

            if (pool.MinReplicas < 0)
            {
                errors.Add($"'{pool.Name}': min replicas {pool.MinReplicas} must be >= 0");
            }

            if (pool.MaxReplicas is { } max && max < pool.MinReplicas)
            {
                errors.Add($"'{pool.Name}': max replicas {max} is below min replicas {pool.MinReplicas}");
            }
        }

        return errors;
    }
}
