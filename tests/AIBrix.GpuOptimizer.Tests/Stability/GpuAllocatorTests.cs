namespace AIBrix.GpuOptimizer.Tests.Stability;

using static TestProfiles;

public class GpuAllocatorTests
{
    // One replica serves 1 req/s of the single bucket at cost 1, so the optimum is ceil(rate) replicas.
    private static readonly GpuProfile Unit = Profile("a10", 1, Single, 1);

    private static GpuAllocator Allocator(double minCostSaving = 0.1) =>
        new(new MelangeSolver(new SolverOptions()), new HysteresisOptions { MinCostSaving = minCostSaving });

    private static AllocationProblem Problem(double rate, params GpuPool[] pools) =>
        new(Load(Single, rate), pools.Length == 0 ? [new GpuPool(Unit)] : pools);

    [Fact]
    public void Update_First_AdoptsTheOptimum()
    {
        var allocator = Allocator();

        var decision = allocator.Update(Problem(10));

        Assert.True(decision.Changed);
        Assert.Equal(10, decision.Allocation!.ReplicasOf("a10"));
        Assert.Same(decision.Allocation, allocator.Current);
    }

    [Fact]
    public void Update_SavingNotAboveThreshold_KeepsReplicas()
    {
        var allocator = Allocator();
        allocator.Update(Problem(10));

        var decision = allocator.Update(Problem(9));   // the optimum, 9, saves exactly 10 %

        Assert.False(decision.Changed);
        Assert.Equal(10, allocator.Current!.ReplicasOf("a10"));
        Assert.Equal(9, allocator.Current.Gpus[0].Load, 6);   // the kept allocation describes the new load
        Assert.Contains("saves 10.0 %", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_DifferentMixStillCoveredByOtherTypes_KeptBelowThreshold()
    {
        // 3 L20 (cost 6) were right for long prompts; the mix turns to short ones, whose optimum is 2 A10 + 1 L20
        // (cost 4). The L20s still cover it (8/5 + 1 = 2.6 replicas), and a 33 % saving is under the 50 % threshold.
        var allocator = Allocator(minCostSaving: 0.5);
        var pools = new[] { new GpuPool(Small), new GpuPool(Large) };
        allocator.Update(new AllocationProblem(Load(ShortLong, 0, 3), pools));

        var decision = allocator.Update(new AllocationProblem(Load(ShortLong, 8, 1), pools));

        Assert.False(decision.Changed);
        Assert.Equal((0, 3), (allocator.Current!.ReplicasOf("a10"), allocator.Current.ReplicasOf("l20")));
        Assert.Equal(2.6, allocator.Current.Gpus.Single(g => g.Gpu == "l20").Load, 6);
        Assert.Contains("saves 33.3 %", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_SavingAboveThreshold_MovesReplicas()
    {
        var allocator = Allocator();
        allocator.Update(Problem(10));

        var decision = allocator.Update(Problem(8));

        Assert.True(decision.Changed);
        Assert.Equal(8, allocator.Current!.ReplicasOf("a10"));
    }

    [Fact]
    public void Update_LoadNoLongerCovered_ScalesUpWhateverTheThreshold()
    {
        var allocator = Allocator(minCostSaving: 0.5);
        allocator.Update(Problem(10));

        var decision = allocator.Update(Problem(10.5));

        Assert.True(decision.Changed);
        Assert.Equal(11, allocator.Current!.ReplicasOf("a10"));
        Assert.Contains("no longer covers the load", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_LimitLoweredBelowCurrent_Replaced()
    {
        var allocator = Allocator();
        allocator.Update(Problem(3));

        // Three A10 no longer fit a limit of two; one L20 (cost 5) beats two A10 plus an L20 (7).
        var decision = allocator.Update(Problem(3, new GpuPool(Unit) { MaxReplicas = 2 }, new GpuPool(Profile("l20", 5, Single, 10))));

        Assert.True(decision.Changed);
        Assert.Contains("a10=3 not in [0, 2]", decision.Reason, StringComparison.Ordinal);
        Assert.Equal((0, 1), (allocator.Current!.ReplicasOf("a10"), allocator.Current.ReplicasOf("l20")));
    }

    [Fact]
    public void Update_GpuTypeRemoved_Replaced()
    {
        var l20 = Profile("l20", 1, Single, 1);
        var allocator = Allocator();
        allocator.Update(Problem(2, new GpuPool(Unit) { MinReplicas = 2 }, new GpuPool(l20)));

        var decision = allocator.Update(Problem(2, new GpuPool(l20)));

        Assert.True(decision.Changed);
        Assert.Contains("a10 no longer offered", decision.Reason, StringComparison.Ordinal);
        Assert.Equal(2, allocator.Current!.ReplicasOf("l20"));
    }

    [Fact]
    public void Update_SolverFails_KeepsCurrentAndSaysWhy()
    {
        var allocator = Allocator();
        allocator.Update(Problem(4));

        var decision = allocator.Update(Problem(4, new GpuPool(Unit) { MaxReplicas = 2 }));

        Assert.False(decision.Changed);
        Assert.Equal(AllocationErrorKind.Infeasible, decision.Error?.Kind);
        Assert.Equal(4, decision.Allocation!.ReplicasOf("a10"));
        Assert.StartsWith("kept a10=4", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_SolverFailsBeforeAnyAllocation_NoAllocation()
    {
        var decision = Allocator().Update(Problem(4, new GpuPool(Unit) { MaxReplicas = 2 }));

        Assert.Null(decision.Allocation);
        Assert.False(decision.Changed);
        Assert.StartsWith("no allocation yet", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_TimeLimitBeforeAProof_AdoptsTheBestFoundAndReportsItsGap()
    {
        // The time limit passes before CP-SAT starts: the heuristic's 3 replicas, 30 % above the LP's bound of 2.1.
        var solver = new MelangeSolver(new SolverOptions { TimeLimit = TimeSpan.FromTicks(1), CountCheckLimit = TimeSpan.FromTicks(1) });
        var allocator = new GpuAllocator(solver, new HysteresisOptions());

        var decision = allocator.Update(new AllocationProblem(Load(Single, 4.2), [new GpuPool(Profile("a10", 1.5, Single, 2))]));

        Assert.True(decision.Changed);
        Assert.Equal(3, decision.Allocation!.ReplicasOf("a10"));
        Assert.Equal(0.3, decision.Gap, 9);
        Assert.Contains("not proven optimal", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_HintFromTheAllocationInForce_SameCountsAsAColdSolve()
    {
        // The allocation in force (a mix of short and long prompts) is the hint of the next solve; a cold solve agrees.
        var pools = new[] { new GpuPool(Small), new GpuPool(Large) };
        var allocator = Allocator(minCostSaving: 0);
        allocator.Update(new AllocationProblem(Load(ShortLong, 8, 1), pools));

        var next = new AllocationProblem(Load(ShortLong, 3, 4), pools);
        var decision = allocator.Update(next);
        var cold = new MelangeSolver(new SolverOptions { RelativeGap = 0 }).Solve(next).Allocation!;

        Assert.Equal(cold.Cost, decision.Allocation!.Cost, 9);
        Assert.Equal(0, decision.Gap);
    }

    [Fact]
    public void Constructor_ThresholdOutOfRange_Throws()
    {
        Assert.Throws<ArgumentException>(() => Allocator(minCostSaving: 1.0));
    }
}
