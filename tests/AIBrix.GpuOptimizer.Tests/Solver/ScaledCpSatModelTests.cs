namespace AIBrix.GpuOptimizer.Tests.Solver;

using static TestProfiles;

/// <summary>What <see cref="SolverMethod.ScaledCpSat"/> adds to the shared cases: the scaling of costs and loads.</summary>
public class ScaledCpSatModelTests
{
    private static readonly MelangeSolver Solver = new(new SolverOptions { RelativeGap = 0, Method = SolverMethod.ScaledCpSat, TimeLimit = TimeSpan.FromSeconds(30) });

    [Theory]
    [InlineData(new[] { 1.0, 2.0 }, 1)]
    [InlineData(new[] { 1.0, 1.4, 1.9, 3.7, 6.9 }, 10)]
    [InlineData(new[] { 0.25, 1.125 }, 1000)]
    [InlineData(new[] { 1.0 / 3 }, 1_000_000)]
    public void CostScale_SmallestPowerOfTenThatMakesCostsWhole(double[] costs, long scale)
    {
        var pools = costs.Select((c, j) => new GpuPool(Profile($"gpu{j}", c, Single, 1))).ToList();

        Assert.Equal(scale, ScaledCpSatModel.CostScale(pools));
    }

    [Fact]
    public void Solve_SlicesThatFillReplicasExactly_NoSpareReplica()
    {
        // 3 slices of 1 req/s on a 3 req/s GPU, a third of a replica each (not whole in any scale): exactly 2 replicas for 6 req/s.
        var problem = new AllocationProblem(Load(Single, 6), [new GpuPool(Profile("a10", 1.0, Single, 3))]);
        var solver = new MelangeSolver(new SolverOptions { RelativeGap = 0, Method = SolverMethod.ScaledCpSat, SliceFactor = 6 });

        var allocation = solver.Solve(problem).Allocation!;

        Assert.Equal(2, allocation.ReplicasOf("a10"));
        Assert.Equal(2, allocation.Gpus[0].Load, 9);
    }

    [Fact]
    public void Solve_CostsNotWholeInAnyDecimalScale_CheapestMix()
    {
        // A third-priced small GPU: 4 of them (4/3) beat one large (2) for 4 req/s on the short bucket.
        var problem = new AllocationProblem(Load(ShortLong, 4, 0), [new GpuPool(Profile("a10", 1.0 / 3, ShortLong, 1, 0)), new GpuPool(Large)]);

        var allocation = Solver.Solve(problem).Allocation!;

        Assert.Equal(4, allocation.ReplicasOf("a10"));
        Assert.Equal(0, allocation.ReplicasOf("l20"));
        Assert.Equal(4.0 / 3, allocation.Cost, 9);
    }
}
