namespace AIBrix.GpuOptimizer.Tests.Solver;

using static TestProfiles;

/// <summary>Hand-solved cases, run against each <see cref="SolverMethod"/>.</summary>
public abstract class MelangeSolverTests
{
    protected MelangeSolverTests(SolverMethod method)
    {
        Method = method;
        Solver = new(new SolverOptions { RelativeGap = 0, Method = method, TimeLimit = TimeSpan.FromSeconds(30), CountCheckLimit = TimeSpan.FromSeconds(30) });
    }

    private SolverMethod Method { get; }

    private MelangeSolver Solver { get; }

    private Allocation SolveOk(AllocationProblem problem)
    {
        var result = Solver.Solve(problem);
        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(0, result.Gap);   // proven optimal
        return result.Allocation!;
    }

    [Theory]
    [InlineData(4.0, 2)]   // 4 req/s at 2 req/s per replica: exactly 2
    [InlineData(4.2, 3)]   // 2.1 replicas' worth rounds up
    [InlineData(0.1, 1)]
    public void Solve_OneGpuType_CeilOfLoadOverRate(double rate, int replicas)
    {
        var gpu = Profile("a10", 1.5, Single, 2);

        var allocation = SolveOk(new AllocationProblem(Load(Single, rate), [new GpuPool(gpu)]));

        Assert.Equal(replicas, allocation.ReplicasOf("a10"));
        Assert.Equal(replicas * 1.5, allocation.Cost, 9);
        Assert.Equal(rate / 2, allocation.Gpus[0].Load, 6);
    }

    [Fact]
    public void Solve_SmallAndLargeGpu_ShortPromptsToSmallLongToLarge()
    {
        // 8 req/s short, 1 req/s long. All on L20: 8/5 + 1/1 = 2.6 -> 3 x 2 = 6. Mixed: short on 2 A10 (2),
        // long on 1 L20 (2) = 4. Splitting the short bucket only costs more (hand-enumerated: 5, 6).
        var problem = new AllocationProblem(Load(ShortLong, 8, 1), [new GpuPool(Small), new GpuPool(Large)]);

        var allocation = SolveOk(problem);

        Assert.Equal((2, 1), (allocation.ReplicasOf("a10"), allocation.ReplicasOf("l20")));
        Assert.Equal(4.0, allocation.Cost, 9);
        var shortBucket = allocation.Buckets.Single(b => b.Column == 0);
        var longBucket = allocation.Buckets.Single(b => b.Column == 1);
        Assert.Equal(new Dictionary<string, int> { ["a10"] = 4 }, shortBucket.SlicesByGpu);
        Assert.Equal(new Dictionary<string, int> { ["l20"] = 4 }, longBucket.SlicesByGpu);
    }

    [Fact]
    public void Solve_SmallGpuLimitedToOne_SplitsTheShortBucket()
    {
        // One A10 takes at most 2 of the 4 short slices (2 req/s each = 0.5 of an A10): A10 = 1 (load 1.0),
        // L20 gets 2 short slices (4/5 = 0.8) plus the long bucket (1.0) = 1.8 -> 2. Cost 1 + 4 = 5
        // (all on L20 costs 6; one short slice on the A10 leaves 2.2 for L20: 1 + 6 = 7).
        var problem = new AllocationProblem(Load(ShortLong, 8, 1), [new GpuPool(Small) { MaxReplicas = 1 }, new GpuPool(Large)]);

        var allocation = SolveOk(problem);

        Assert.Equal((1, 2), (allocation.ReplicasOf("a10"), allocation.ReplicasOf("l20")));
        Assert.Equal(5.0, allocation.Cost, 9);
        Assert.Equal(new Dictionary<string, int> { ["a10"] = 2, ["l20"] = 2 }, allocation.Buckets.Single(b => b.Column == 0).SlicesByGpu);
    }

    [Fact]
    public void Solve_ZeroLoad_MinimumReplicas()
    {
        var problem = new AllocationProblem(Load(ShortLong, 0, 0),
            [new GpuPool(Small) { MinReplicas = 1 }, new GpuPool(Large) { MinReplicas = 2, MaxReplicas = 5 }]);

        var allocation = SolveOk(problem);

        Assert.Equal((1, 2), (allocation.ReplicasOf("a10"), allocation.ReplicasOf("l20")));
        Assert.Empty(allocation.Buckets);
        Assert.Equal(5.0, allocation.Cost, 9);
    }

    [Fact]
    public void Solve_MinimumReplicas_CapacityIsUsedBeforeAddingMore()
    {
        // Two L20 are kept anyway; they absorb the short load (1.6) that would otherwise need two A10.
        var problem = new AllocationProblem(Load(ShortLong, 8, 0), [new GpuPool(Small), new GpuPool(Large) { MinReplicas = 2 }]);

        var allocation = SolveOk(problem);

        Assert.Equal((0, 2), (allocation.ReplicasOf("a10"), allocation.ReplicasOf("l20")));
    }

    [Fact]
    public void Solve_LongPromptsOnlyTheSmallGpu_InfeasibleNamingTheBucket()
    {
        var result = Solver.Solve(new AllocationProblem(Load(ShortLong, 8, 0.5), [new GpuPool(Small)]));

        Assert.Equal(AllocationErrorKind.Infeasible, result.Error?.Kind);
        Assert.Contains("in 4096, out 128 at 0.5 req/s", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Solve_AvailabilityTooLow_InfeasibleNamingTheLimits()
    {
        // The long bucket alone needs 3 L20 at 1 req/s each.
        var problem = new AllocationProblem(Load(ShortLong, 1, 3), [new GpuPool(Small) { MaxReplicas = 4 }, new GpuPool(Large) { MaxReplicas = 2 }]);

        var result = Solver.Solve(problem);

        Assert.Equal(AllocationErrorKind.Infeasible, result.Error?.Kind);
        Assert.Contains("a10 <= 4, l20 <= 2", result.Error!.Message, StringComparison.Ordinal);
        Assert.Null(result.Allocation);
    }

    [Fact]
    public void Solve_ProfilesOnDifferentGrids_InvalidInput()
    {
        var other = Profile("h100", 5, new BucketGrid([128], [256, 8192]), 10, 2);

        var result = Solver.Solve(new AllocationProblem(Load(ShortLong, 1, 1), [new GpuPool(Small), new GpuPool(other)]));

        Assert.Equal(AllocationErrorKind.InvalidInput, result.Error?.Kind);
        Assert.Contains("'h100' is measured on buckets", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Solve_BadLimitsAndDuplicates_InvalidInputListsEach()
    {
        var problem = new AllocationProblem(Load(ShortLong, 1, 1),
            [new GpuPool(Small) { MinReplicas = 3, MaxReplicas = 2 }, new GpuPool(Small), new GpuPool(Large) { MinReplicas = -1 }]);

        var error = Solver.Solve(problem).Error!;

        Assert.Equal(AllocationErrorKind.InvalidInput, error.Kind);
        Assert.Contains("'a10' is given 2 times", error.Message, StringComparison.Ordinal);
        Assert.Contains("max replicas 2 is below min replicas 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("'l20': min replicas -1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Solve_NegativeRate_InvalidInput()
    {
        var result = Solver.Solve(new AllocationProblem(Load(ShortLong, -1, 0), [new GpuPool(Small)]));

        Assert.Equal(AllocationErrorKind.InvalidInput, result.Error?.Kind);
    }

    [Fact]
    public void Check_CountsThatCover_AllocationAtThoseCounts()
    {
        var problem = new AllocationProblem(Load(ShortLong, 8, 1), [new GpuPool(Small), new GpuPool(Large)]);

        var covered = Solver.Check(problem, new Dictionary<string, int> { ["l20"] = 3 });
        var short1 = Solver.Check(problem, new Dictionary<string, int> { ["a10"] = 2 });

        Assert.Equal((0, 3), (covered.Allocation!.ReplicasOf("a10"), covered.Allocation.ReplicasOf("l20")));
        Assert.Equal(AllocationErrorKind.Infeasible, short1.Error?.Kind);
        Assert.Contains("a10=2, l20=0 cannot serve 9 req/s", short1.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_CountsOutsideLimits_Infeasible()
    {
        var problem = new AllocationProblem(Load(ShortLong, 1, 0), [new GpuPool(Small) { MaxReplicas = 1 }]);

        var result = Solver.Check(problem, new Dictionary<string, int> { ["a10"] = 2 });

        Assert.Contains("a10=2 not in [0, 1]", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Solve_RelativeGap_CostWithinTheGapOfTheOptimum()
    {
        var exact = SolveOk(new AllocationProblem(Load(ShortLong, 80, 10), [new GpuPool(Small), new GpuPool(Large)]));
        var loose = new MelangeSolver(new SolverOptions { RelativeGap = 0.05, Method = Method, TimeLimit = TimeSpan.FromSeconds(30), CountCheckLimit = TimeSpan.FromSeconds(30) })
            .Solve(new AllocationProblem(Load(ShortLong, 80, 10), [new GpuPool(Small), new GpuPool(Large)])).Allocation!;

        Assert.InRange(loose.Cost, exact.Cost, exact.Cost * 1.05);
    }

    [Fact]
    public void Constructor_BadOptions_Throws()
    {
        Assert.Throws<ArgumentException>(() => new MelangeSolver(new SolverOptions { SliceFactor = 0 }));
        Assert.Throws<ArgumentException>(() => new MelangeSolver(new SolverOptions { TimeLimit = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => new MelangeSolver(new SolverOptions { RelativeGap = 1 }));
        Assert.Throws<ArgumentException>(() => new MelangeSolver(new SolverOptions { Method = (SolverMethod)7 }));
        Assert.Throws<ArgumentException>(() => new MelangeSolver(new SolverOptions { CountCheckLimit = TimeSpan.FromSeconds(2) }));
    }
}

public sealed class MelangeSolverBranchAndBoundTests() : MelangeSolverTests(SolverMethod.BranchAndBound);

public sealed class MelangeSolverCpSatTests() : MelangeSolverTests(SolverMethod.CpSat);

public sealed class MelangeSolverScaledCpSatTests() : MelangeSolverTests(SolverMethod.ScaledCpSat);
