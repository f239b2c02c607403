namespace AIBrix.GpuOptimizer.Tests.Solver;

using static TestProfiles;

/// <summary>The primal heuristic (CP-SAT's starting point and the time limit's fallback) and the hint it takes.</summary>
public class PrimalHeuristicTests
{
    private static readonly MelangeSolver Exact = new(new SolverOptions { RelativeGap = 0, TimeLimit = TimeSpan.FromSeconds(30), PrimalHeuristic = false });

    [Fact]
    public void Run_RandomSmallProblems_FeasibleAndNeverBelowTheExhaustiveOptimum()
    {
        var random = new Random(31);
        Allocation? stale = null;
        int feasible = 0, found = 0;
        for (int round = 0; round < 200; round++)
        {
            var problem = MelangeSolverOracleTests.RandomProblem(random);
            var buckets = MelangeSolver.LoadedBuckets(problem.Load);
            if (buckets.Any(b => problem.Pools.All(p => p.Profile.Tputs[b.Row, b.Column] <= 0)))
            {
                continue;   // the solver rejects such a load before the heuristic runs
            }

            double? best = MelangeSolverOracleTests.Exhaustive(problem, 2);
            var heuristic = new PrimalHeuristic(problem, buckets, 2);
            // Every other round starts from the previous round's allocation: other types, other loads.
            var solution = heuristic.Run(round % 2 == 0 ? stale : null);

            if (best is null)
            {
                Assert.Null(solution);
                continue;
            }

            feasible++;
            Assert.True(heuristic.LowerBound <= best.Value + 1e-6, $"round {round}: LP bound {heuristic.LowerBound} above the optimum {best}");
            if (solution is not null)
            {
                found++;
                AssertFeasible(problem, buckets, 2, solution);
                Assert.True(solution.Cost >= best.Value - 1e-9, $"round {round}: {solution.Cost} below the optimum {best}");
                stale = new MelangeSolver(new SolverOptions { SliceFactor = 2 }).Solve(problem).Allocation;
            }
        }

        Assert.True(feasible > 60, $"only {feasible} feasible rounds");
        Assert.True(found >= feasible * 0.9, $"the heuristic found an allocation in {found} of {feasible} feasible rounds");
    }

    [Fact]
    public void Run_RandomProblemsWithHints_FeasibleAndWithinItsBound()
    {
        var random = new Random(47);
        int checkedRounds = 0;
        for (int round = 0; round < 60; round++)
        {
            var problem = SolverMethodEquivalenceTests.RandomProblem(random);
            var optimum = Exact.Solve(problem).Allocation;
            if (optimum is null)
            {
                continue;
            }

            // The previous interval: the same types, every bucket's rate moved by up to ±50 %.
            var earlier = new AllocationProblem(
                new LoadHistogram(problem.Load.Grid, BucketMatrix.Create(problem.Load.Grid.Rows, problem.Load.Grid.Columns,
                    (r, c) => Math.Round(problem.Load.Rates[r, c] * (0.5 + random.NextDouble()), 2))),
                problem.Pools);
            var hint = Exact.Solve(earlier).Allocation;
            var buckets = MelangeSolver.LoadedBuckets(problem.Load);
            var heuristic = new PrimalHeuristic(problem, buckets, 4);

            var solution = heuristic.Run(hint);

            checkedRounds++;
            Assert.True(heuristic.LowerBound <= optimum.Cost + 1e-6, $"round {round}: LP bound {heuristic.LowerBound} above the optimum {optimum.Cost}");
            if (solution is not null)
            {
                AssertFeasible(problem, buckets, 4, solution);
                Assert.True(solution.Cost >= optimum.Cost - 1e-9, $"round {round}: {solution.Cost} below the optimum {optimum.Cost}");
            }
        }

        Assert.True(checkedRounds >= 40, $"only {checkedRounds} feasible rounds");
    }

    [Theory]
    [InlineData(SolverMethod.CpSat)]
    [InlineData(SolverMethod.ScaledCpSat)]
    public void Solve_WithHeuristicAndHint_OptimumCostUnchangedBeyondTheGap(SolverMethod method)
    {
        var exactWarm = new MelangeSolver(new SolverOptions { RelativeGap = 0, TimeLimit = TimeSpan.FromSeconds(30), Method = method });
        var gapWarm = new MelangeSolver(new SolverOptions { TimeLimit = TimeSpan.FromSeconds(30), Method = method });
        var random = new Random(53);
        Allocation? previous = null;
        int feasible = 0;
        for (int round = 0; round < 60; round++)
        {
            var problem = SolverMethodEquivalenceTests.RandomProblem(random);
            var expected = Exact.Solve(problem);
            var exact = exactWarm.Solve(problem, previous);
            var gap = gapWarm.Solve(problem, previous);

            if (expected.Allocation is null)
            {
                Assert.Equal(expected.Error!.Kind, exact.Error?.Kind);
                Assert.Equal(expected.Error!.Kind, gap.Error?.Kind);
                continue;
            }

            feasible++;
            double optimum = expected.Allocation.Cost;
            Assert.True(exact.Succeeded && gap.Succeeded, $"round {round}: {exact.Error?.Message} {gap.Error?.Message}");
            Assert.Equal(optimum, exact.Allocation!.Cost, 6);
            Assert.Equal(0, exact.Gap);
            Assert.InRange(gap.Gap, 0, 0.005 + 1e-9);
            Assert.InRange(gap.Allocation!.Cost, optimum - 1e-6, (optimum / (1 - gap.Gap)) + 1e-6);
            previous = gap.Allocation;
        }

        Assert.True(feasible >= 40, $"only {feasible} feasible rounds");
    }

    [Fact]
    public void Solve_TimeLimitBeforeCpSat_TheHeuristicsAllocationWithItsGapToTheLpBound()
    {
        // 4.2 req/s at 2 req/s per replica: 3 replicas; the LP's bound is 2.1 replicas, so the gap is 1 - 2.1/3 = 30 %.
        var problem = new AllocationProblem(Load(Single, 4.2), [new GpuPool(Profile("a10", 1.5, Single, 2))]);
        var solver = new MelangeSolver(new SolverOptions { TimeLimit = TimeSpan.FromTicks(1), CountCheckLimit = TimeSpan.FromTicks(1) });

        var result = solver.Solve(problem);

        Assert.Equal(AllocationErrorKind.TimeLimit, result.Error?.Kind);
        Assert.Equal(3, result.Error!.BestFound!.ReplicasOf("a10"));
        Assert.Equal(0.3, result.Gap, 9);
        Assert.Contains("gap 30.00 %", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Solve_HeuristicWithinTheGapOfTheLpBound_ReturnedWithThatGap()
    {
        // 399.9 req/s at 2 req/s per replica: 200 replicas against an LP bound of 199.95, 0.025 % apart.
        var problem = new AllocationProblem(Load(Single, 399.9), [new GpuPool(Profile("a10", 1, Single, 2))]);

        var result = new MelangeSolver(new SolverOptions()).Solve(problem);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(200, result.Allocation!.ReplicasOf("a10"));
        Assert.Equal(0.05 / 200, result.Gap, 9);
    }

    [Fact]
    public void SolverOptions_Defaults_HalfPercentGapScaledCpSatWithTheHeuristic()
    {
        var options = new SolverOptions();

        Assert.Equal((0.005, SolverMethod.ScaledCpSat, true, TimeSpan.FromSeconds(1)), (options.RelativeGap, options.Method, options.PrimalHeuristic, options.TimeLimit));
        Assert.True(options.RelativeGap < new HysteresisOptions().MinCostSaving / 10, "the default gap must stay far under the hysteresis");
    }

    private static void AssertFeasible(AllocationProblem problem, List<(int Row, int Column, double Rate)> buckets, int slices, HeuristicSolution solution)
    {
        double cost = 0;
        for (int j = 0; j < problem.Pools.Count; j++)
        {
            var pool = problem.Pools[j];
            Assert.InRange(solution.Counts[j], pool.MinReplicas, pool.MaxReplicas ?? int.MaxValue);
            double load = 0;
            for (int b = 0; b < buckets.Count; b++)
            {
                double rate = pool.Profile.Tputs[buckets[b].Row, buckets[b].Column];
                Assert.True(solution.Slices[b, j] == 0 || rate > 0, $"{pool.Name} takes a bucket it cannot serve");
                load += solution.Slices[b, j] == 0 ? 0 : solution.Slices[b, j] * buckets[b].Rate / slices / rate;
            }

            Assert.True(load <= solution.Counts[j] + 1e-6, $"{pool.Name}: load {load} over {solution.Counts[j]} replicas");
            cost += solution.Counts[j] * pool.Profile.Cost;
        }

        for (int b = 0; b < buckets.Count; b++)
        {
            Assert.Equal(slices, Enumerable.Range(0, problem.Pools.Count).Sum(j => solution.Slices[b, j]));
        }

        Assert.Equal(cost, solution.Cost, 9);
    }
}
