namespace AIBrix.GpuOptimizer.Tests.Solver;

/// <summary>The solver against exhaustive enumeration on small random problems.</summary>
public class MelangeSolverOracleTests
{
    private const int Slices = 2;

    [Theory]
    [InlineData(SolverMethod.BranchAndBound)]
    [InlineData(SolverMethod.CpSat)]
    [InlineData(SolverMethod.ScaledCpSat)]
    public void Solve_RandomSmallProblems_MatchesExhaustiveSearch(SolverMethod method)
    {
        var random = new Random(17);
        var solver = new MelangeSolver(new SolverOptions { RelativeGap = 0, SliceFactor = Slices, Method = method, TimeLimit = TimeSpan.FromSeconds(30), CountCheckLimit = TimeSpan.FromSeconds(30) });
        int feasible = 0;
        for (int round = 0; round < 60; round++)
        {
            var problem = RandomProblem(random);

            double? best = Exhaustive(problem);
            var result = solver.Solve(problem);

            if (best is null)
            {
                Assert.True(result.Error?.Kind == AllocationErrorKind.Infeasible, $"round {round}: expected infeasible, got {result.Allocation}");
                continue;
            }

            feasible++;
            Assert.True(result.Succeeded, $"round {round}: {result.Error?.Message}");
            Assert.Equal(best.Value, result.Allocation!.Cost, 6);
            AssertCovers(problem, result.Allocation);
        }

        Assert.True(feasible > 20, $"only {feasible} feasible rounds: the generator is too harsh to test much");
    }

    /// <summary>2 × 2 buckets, 1-3 types with whole costs and rates (some 0), some limits: small enough to enumerate with <see cref="Exhaustive"/>.</summary>
    internal static AllocationProblem RandomProblem(Random random)
    {
        var grid = new BucketGrid([64, 512], [256, 2048]);
        int types = random.Next(1, 4);
        var pools = new List<GpuPool>();
        for (int j = 0; j < types; j++)
        {
            // Integer costs and rates (some 0: the type cannot serve that bucket) keep the oracle's ceilings exact.
            var profile = TestProfiles.Profile($"gpu{j}", random.Next(1, 6), grid,
                [.. Enumerable.Range(0, 4).Select(_ => (double)random.Next(0, 5))]);
            pools.Add(new GpuPool(profile) { MinReplicas = random.Next(0, 2), MaxReplicas = random.Next(0, 3) == 0 ? random.Next(1, 4) : null });
        }

        var load = TestProfiles.Load(grid, [.. Enumerable.Range(0, 4).Select(_ => (double)random.Next(0, 4))]);
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

        foreach (var bucket in allocation.Buckets)
        {
            Assert.Equal(Slices, bucket.SlicesByGpu.Values.Sum());
        }
    }

    /// <summary>Tries every split of every loaded bucket's slices; null when none fits the limits.</summary>
    internal static double? Exhaustive(AllocationProblem problem, int slices = Slices)
    {
        var pools = problem.Pools;
        var buckets = new List<(int Row, int Column, double Rate)>();
        for (int r = 0; r < problem.Load.Grid.Rows; r++)
        {
            for (int c = 0; c < problem.Load.Grid.Columns; c++)
            {
                if (problem.Load.Rates[r, c] > 0)
                {
                    buckets.Add((r, c, problem.Load.Rates[r, c]));
                }
            }
        }

        double? best = null;
        var load = new double[pools.Count];

        void Recurse(int bucket)
        {
            if (bucket == buckets.Count)
            {
                double cost = 0;
                for (int j = 0; j < pools.Count; j++)
                {
                    int count = Math.Max(pools[j].MinReplicas, (int)Math.Ceiling(load[j] - 1e-9));
                    if (count > (pools[j].MaxReplicas ?? int.MaxValue))
                    {
                        return;
                    }

                    cost += count * pools[j].Profile.Cost;
                }

                best = best is null ? cost : Math.Min(best.Value, cost);
                return;
            }

            var (row, column, rate) = buckets[bucket];
            // Every way to give the bucket's slices to the types: slice s goes to type choice[s] (order does not matter,
            // so only non-decreasing choices are tried).
            void Place(int slice, int from)
            {
                if (slice == slices)
                {
                    Recurse(bucket + 1);
                    return;
                }

                for (int j = from; j < pools.Count; j++)
                {
                    double maxRate = pools[j].Profile.Tputs[row, column];
                    if (maxRate <= 0)
                    {
                        continue;
                    }

                    double add = rate / slices / maxRate;
                    load[j] += add;
                    Place(slice + 1, j);
                    load[j] -= add;
                }
            }

            Place(0, 0);
        }

        Recurse(0);
        return best;
    }
}
