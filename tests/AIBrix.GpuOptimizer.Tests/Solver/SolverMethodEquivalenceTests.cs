namespace AIBrix.GpuOptimizer.Tests.Solver;

/// <summary>The branch and bound and the scaled CP-SAT model against the original formulation (everything in CP-SAT through MPSolver) on random problems.</summary>
public class SolverMethodEquivalenceTests
{
    // Every candidate count may take the whole time limit to settle: the search is then exact, whatever the machine's load.
    private static readonly MelangeSolver BranchAndBound = new(new SolverOptions
    {
        TimeLimit = TimeSpan.FromSeconds(30),
        RelativeGap = 0,
        CountCheckLimit = TimeSpan.FromSeconds(30),
        Method = SolverMethod.BranchAndBound,
    });
    private static readonly MelangeSolver CpSat = new(new SolverOptions { RelativeGap = 0, TimeLimit = TimeSpan.FromSeconds(30), Method = SolverMethod.CpSat });
    private static readonly MelangeSolver ScaledCpSat = new(new SolverOptions { RelativeGap = 0, TimeLimit = TimeSpan.FromSeconds(30), Method = SolverMethod.ScaledCpSat });

    [Theory]
    [InlineData(SolverMethod.BranchAndBound)]
    [InlineData(SolverMethod.ScaledCpSat)]
    public void Solve_RandomProblems_SameCostAsCpSat(SolverMethod method)
    {
        var solver = For(method);
        var random = new Random(2026);
        int feasible = 0, infeasible = 0;
        for (int round = 0; round < 60; round++)
        {
            var problem = RandomProblem(random);

            var expected = CpSat.Solve(problem);
            var actual = solver.Solve(problem);

            if (expected.Error is { Kind: AllocationErrorKind.Infeasible })
            {
                infeasible++;
                Assert.True(actual.Error?.Kind == AllocationErrorKind.Infeasible, $"round {round}: CP-SAT infeasible, {method} {actual.Allocation}");
                continue;
            }

            feasible++;
            Assert.True(expected.Succeeded, $"round {round}: CP-SAT {expected.Error?.Message}");
            Assert.True(actual.Succeeded, $"round {round}: {actual.Error?.Message}");
            Assert.Equal(0, actual.Gap);
            Assert.True(Math.Abs(expected.Allocation!.Cost - actual.Allocation!.Cost) < 1e-6,
                $"round {round}: CP-SAT {expected.Allocation}, {method} {actual.Allocation}");
            AssertCovers(problem, actual.Allocation);
        }

        Assert.True(feasible >= 40, $"only {feasible} feasible rounds ({infeasible} infeasible)");
    }

    [Theory]
    [InlineData(SolverMethod.BranchAndBound)]
    [InlineData(SolverMethod.ScaledCpSat)]
    public void Check_RandomCounts_SameAnswerAsCpSat(SolverMethod method)
    {
        var solver = For(method);
        var random = new Random(18);
        int covered = 0, short1 = 0;
        for (int round = 0; round < 60; round++)
        {
            var problem = RandomProblem(random);
            var optimum = CpSat.Solve(problem).Allocation;
            if (optimum is null)
            {
                continue;
            }

            // Around the optimum: one type a replica short or spare, within its limits.
            var counts = optimum.Replicas.ToDictionary(kv => kv.Key, kv => kv.Value);
            var pool = problem.Pools[random.Next(problem.Pools.Count)];
            counts[pool.Name] = Math.Clamp(counts[pool.Name] + random.Next(-1, 2), pool.MinReplicas, pool.MaxReplicas ?? int.MaxValue);

            var expected = CpSat.Check(problem, counts);
            var actual = solver.Check(problem, counts);

            Assert.Equal(expected.Succeeded, actual.Succeeded);
            if (actual.Allocation is { } allocation)
            {
                covered++;
                Assert.All(problem.Pools, p => Assert.Equal(counts[p.Name], allocation.ReplicasOf(p.Name)));
                AssertCovers(problem, allocation);
            }
            else
            {
                short1++;
                Assert.Equal(AllocationErrorKind.Infeasible, actual.Error!.Kind);
            }
        }

        Assert.True(covered > 10 && short1 > 3, $"{covered} covered, {short1} short: the generator tests too little");
    }

    private static MelangeSolver For(SolverMethod method) => method == SolverMethod.ScaledCpSat ? ScaledCpSat : BranchAndBound;

    /// <summary>3 × 3 buckets, 2-5 types with real costs and rates (some 0), slice factor 4, some limits.</summary>
    internal static AllocationProblem RandomProblem(Random random)
    {
        var grid = new BucketGrid([64, 256, 1024], [128, 1024, 8192]);
        int types = random.Next(2, 6);
        var pools = new List<GpuPool>();
        for (int j = 0; j < types; j++)
        {
            double scale = 0.5 + (j * 1.5);
            var profile = TestProfiles.Profile($"gpu{j}", Math.Round(scale * (0.8 + (random.NextDouble() * 0.4)), 2), grid,
                [.. Enumerable.Range(0, 9).Select(k => random.NextDouble() < 0.15 * (k % 3) / (j + 1) ? 0 : Math.Round(scale * (1 + (random.NextDouble() * 4)) / (1 + (k % 3)), 3))]);
            pools.Add(new GpuPool(profile)
            {
                MinReplicas = random.Next(0, 4) == 0 ? 1 : 0,
                MaxReplicas = random.Next(0, 3) == 0 ? random.Next(1, 6) : null,
            });
        }

        var load = TestProfiles.Load(grid, [.. Enumerable.Range(0, 9).Select(_ => random.NextDouble() < 0.2 ? 0 : Math.Round(random.NextDouble() * 12, 2))]);
        return new AllocationProblem(load, pools);
    }

    private static void AssertCovers(AllocationProblem problem, Allocation allocation)
    {
        foreach (var gpu in allocation.Gpus)
        {
            var pool = problem.Pools.Single(p => p.Name == gpu.Gpu);
            Assert.InRange(gpu.Replicas, pool.MinReplicas, pool.MaxReplicas ?? int.MaxValue);
            Assert.True(gpu.Load <= gpu.Replicas + 1e-6, $"{gpu.Gpu}: load {gpu.Load} over {gpu.Replicas} replicas");
        }

        Assert.All(allocation.Buckets, b => Assert.Equal(4, b.SlicesByGpu.Values.Sum()));
    }
}
