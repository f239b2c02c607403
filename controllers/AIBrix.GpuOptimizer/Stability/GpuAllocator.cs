using System.Globalization;

namespace AIBrix.GpuOptimizer;

/// <summary>
/// Keeps the allocation in force and replaces it only when it must or when it is worth it: when it no longer covers
/// the load (or its limits, or a GPU type is gone), or when the new optimum is cheaper by more than
/// <see cref="HysteresisOptions.MinCostSaving"/>. Small swings of the request mix thus move no replicas. When the
/// solver finds nothing, the allocation in force stays and the decision says why; when it runs out of time with a
/// solution, that solution is treated like an optimum (and the decision says it is not proven). Not thread-safe:
/// one control loop owns it.
/// </summary>
public sealed class GpuAllocator
{
    private readonly MelangeSolver _solver;
    private readonly HysteresisOptions _options;

    /// <summary>Creates an allocator with no allocation in force.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public GpuAllocator(MelangeSolver solver, HysteresisOptions options)
    {
        ArgumentNullException.ThrowIfNull(solver);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }

        _solver = solver;
        _options = options;
    }

    /// <summary>The allocation in force; null before the first successful update.</summary>
    public Allocation? Current { get; private set; }

    /// <summary>Solves for <paramref name="problem"/> and decides whether the result replaces the allocation in force.</summary>
    public AllocationDecision Update(AllocationProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        // The allocation in force is the previous interval's: the solver starts its search from it.
        var optimum = _solver.Solve(problem, Current);
        // Past the time limit the best allocation found still beats one that no longer covers the load.
        var candidate = optimum.Allocation ?? optimum.Error?.BestFound;
        if (candidate is null)
        {
            string kept = Current is null ? "no allocation yet" : $"kept {Current}";
            return new AllocationDecision(Current, false, $"{kept}: {optimum.Error!.Message}") { Error = optimum.Error, Gap = optimum.Gap };
        }

        string proven = optimum.Succeeded
            ? optimum.Gap > 0 ? Percent($" (within {optimum.Gap:P2} of the optimum)") : ""
            : $" (not proven optimal: {optimum.Error!.Message})";
        if (Current is null)
        {
            return Adopt(candidate, "first allocation" + proven, optimum);
        }

        var gone = Current.Gpus.Where(g => g.Replicas > 0 && problem.Pools.All(p => p.Name != g.Gpu)).Select(g => g.Gpu).ToList();
        if (gone.Count > 0)
        {
            return Adopt(candidate, $"GPU type(s) {string.Join(", ", gone)} no longer offered{proven}", optimum);
        }

        // The counts in force cover the load for sure when they hold the candidate's counts (its split fits them too);
        // only otherwise does it take a solve with the counts fixed, which is as slow as the optimisation itself.
        var refreshed = AtLeast(problem, Current, candidate);
        if (refreshed is null)
        {
            var current = _solver.Check(problem, Current.Replicas);
            if (current.Allocation is null)
            {
                return Adopt(candidate, $"the allocation in force no longer covers the load: {current.Error!.Message}{proven}", optimum);
            }

            refreshed = current.Allocation;
        }

        double saving = refreshed.Cost > 0 ? (refreshed.Cost - candidate.Cost) / refreshed.Cost : 0;
        if (saving > _options.MinCostSaving)
        {
            return Adopt(candidate, Percent($"saves {saving:P1} against {refreshed}") + proven, optimum);
        }

        // Same replica counts, but the bucket split and loads now describe the new request mix.
        Current = refreshed;
        return new AllocationDecision(refreshed, false,
            Percent($"kept {refreshed}: the optimum {candidate} saves {saving:P1}, not more than {_options.MinCostSaving:P0}") + proven)
        {
            Error = optimum.Error,
            Gap = optimum.Gap,
        };
    }

    private AllocationDecision Adopt(Allocation candidate, string why, AllocationResult optimum)
    {
        bool changed = Current is null || !SameCounts(Current, candidate);
        Current = candidate;
        return new AllocationDecision(candidate, changed, $"{candidate}: {why}") { Error = optimum.Error, Gap = optimum.Gap };
    }

    /// <summary>
    /// The counts in force carrying the candidate's split, when every type has at least the candidate's replicas and
    /// stays within its limits; null otherwise.
    /// </summary>
    private static Allocation? AtLeast(AllocationProblem problem, Allocation current, Allocation candidate)
    {
        var gpus = new List<GpuAllocation>(problem.Pools.Count);
        foreach (var pool in problem.Pools)
        {
            int replicas = current.ReplicasOf(pool.Name);
            var planned = candidate.Gpus.First(g => g.Gpu == pool.Name);
            if (replicas < planned.Replicas || replicas < pool.MinReplicas || replicas > (pool.MaxReplicas ?? int.MaxValue))
            {
                return null;
            }

            gpus.Add(planned with { Replicas = replicas, Cost = replicas * pool.Profile.Cost });
        }

        return new Allocation(gpus, candidate.Buckets);
    }

    private static bool SameCounts(Allocation a, Allocation b) =>
        a.Gpus.Where(g => g.Replicas > 0).All(g => b.ReplicasOf(g.Gpu) == g.Replicas) &&
        b.Gpus.Where(g => g.Replicas > 0).All(g => a.ReplicasOf(g.Gpu) == g.Replicas);

    private static string Percent(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
