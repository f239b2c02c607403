using AIBrix.GpuOptimizer;
using BenchmarkDotNet.Attributes;

namespace AIBrix.Bench.GpuOptimizer;

/// <summary>
/// One solve of Mélange's ILP for 64 buckets (8 output × 8 input lengths) and 5 GPU types (A10, L20, L40S, A100,
/// H100 serving Llama-3.1-8B, <see cref="SyntheticProfiles"/>), slice factor 4 (AIBrix's), at a light and a heavy
/// request rate, on several random request mixes (<see cref="Seed"/>). Goal: ≤ 100 ms. <c>*CpSat</c> is the whole
/// program in CP-SAT through <c>MPSolver</c>, <c>*ScaledCpSat</c> the same in CP-SAT's own model (whole-number loads and
/// costs, one worker), the others the opt-in branch and bound over the counts; <c>SolveExact*</c> prove the optimum
/// (the branch and bound within its count-check budget: its gap may be above 0 on a loaded machine),
/// <see cref="SolveHalfPercentGap"/> (CP-SAT) stops within 0.5 % of it, <c>CheckCurrent*</c> is the hysteresis check
/// that the counts in force still cover the load. All of these run without the primal heuristic, as measured before it
/// existed; <c>*Heuristic</c> turn it on; <see cref="SolveHalfPercentGapDefault"/> is <see cref="SolverOptions"/>'
/// defaults (the allocator's production path: <c>ScaledCpSat</c>, 0.5 %, the heuristic) and
/// <see cref="SolveHalfPercentGapDefaultWarm"/> the same with the previous interval's allocation as its hint (the
/// optimum of this mix with every bucket's rate moved by up to ±5 %), as <see cref="GpuAllocator"/> passes it. The
/// setup prints the exact optimum and the branch and bound's.
/// </summary>
[MemoryDiagnoser]
public class MelangeSolverBenchmarks
{
    private AllocationProblem _problem = null!;
    private MelangeSolver _exact = null!;
    private MelangeSolver _exactCpSat = null!;
    private MelangeSolver _gap = null!;
    private MelangeSolver _exactScaled = null!;
    private MelangeSolver _gapScaled = null!;
    private MelangeSolver _gapHeuristic = null!;
    private MelangeSolver _gapScaledHeuristic = null!;
    private MelangeSolver _default = null!;
    private Allocation _previous = null!;
    private IReadOnlyDictionary<string, int> _current = null!;

    [Params(20.0, 400.0)]
    public double TotalRate { get; set; }

    [Params(1, 2, 3)]
    public int Seed { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var grid = SyntheticProfiles.Grid(8, 8);
        var pools = SyntheticProfiles.Pools(grid, 5);
        _problem = new AllocationProblem(SyntheticProfiles.Load(grid, TotalRate, Seed), pools);
        _exact = new MelangeSolver(new SolverOptions { RelativeGap = 0, TimeLimit = TimeSpan.FromSeconds(30), Method = SolverMethod.BranchAndBound });
        _exactCpSat = new MelangeSolver(new SolverOptions { RelativeGap = 0, TimeLimit = TimeSpan.FromSeconds(30), Method = SolverMethod.CpSat, PrimalHeuristic = false });
        _gap = new MelangeSolver(new SolverOptions { TimeLimit = TimeSpan.FromSeconds(30), RelativeGap = 0.005, Method = SolverMethod.CpSat, PrimalHeuristic = false });
        _exactScaled = new MelangeSolver(new SolverOptions { RelativeGap = 0, TimeLimit = TimeSpan.FromSeconds(30), Method = SolverMethod.ScaledCpSat, PrimalHeuristic = false });
        _gapScaled = new MelangeSolver(new SolverOptions
        {
            TimeLimit = TimeSpan.FromSeconds(30), Method = SolverMethod.ScaledCpSat, RelativeGap = 0.005, PrimalHeuristic = false,
        });
        _gapHeuristic = new MelangeSolver(new SolverOptions { TimeLimit = TimeSpan.FromSeconds(30), RelativeGap = 0.005, Method = SolverMethod.CpSat, PrimalHeuristic = true });
        _gapScaledHeuristic = new MelangeSolver(new SolverOptions
        {
            TimeLimit = TimeSpan.FromSeconds(30), Method = SolverMethod.ScaledCpSat, RelativeGap = 0.005, PrimalHeuristic = true,
        });
        _default = new MelangeSolver(new SolverOptions());
        _previous = Optimal(_default.Solve(new AllocationProblem(SyntheticProfiles.Perturbed(_problem.Load, 0.05, Seed), pools)));
        var optimum = Optimal(_exactCpSat.Solve(_problem));
        var branched = _exact.Solve(_problem);
        _current = optimum.Replicas;
        Console.WriteLine($"// {TotalRate} req/s, seed {Seed}: optimum {optimum}; branch and bound {branched.Allocation} (gap {branched.Gap:P2})");
    }

    [Benchmark(Baseline = true)]
    public double SolveExactCpSat() => Optimal(_exactCpSat.Solve(_problem)).Cost;

    [Benchmark]
    public double SolveExact() => Optimal(_exact.Solve(_problem)).Cost;

    [Benchmark]
    public double SolveHalfPercentGap() => Optimal(_gap.Solve(_problem)).Cost;

    [Benchmark]
    public double SolveExactScaledCpSat() => Optimal(_exactScaled.Solve(_problem)).Cost;

    [Benchmark]
    public double SolveHalfPercentGapScaledCpSat() => Optimal(_gapScaled.Solve(_problem)).Cost;

    [Benchmark]
    public double SolveHalfPercentGapHeuristic() => Optimal(_gapHeuristic.Solve(_problem)).Cost;

    [Benchmark]
    public double SolveHalfPercentGapScaledCpSatHeuristic() => Optimal(_gapScaledHeuristic.Solve(_problem)).Cost;

    [Benchmark]
    public double SolveHalfPercentGapDefault() => Usable(_default.Solve(_problem)).Cost;

    [Benchmark]
    public double SolveHalfPercentGapDefaultWarm() => Usable(_default.Solve(_problem, _previous)).Cost;

    [Benchmark]
    public bool CheckCurrentCpSat() => _exactCpSat.Check(_problem, _current).Succeeded;

    [Benchmark]
    public bool CheckCurrent() => _exact.Check(_problem, _current).Succeeded;

    private static Allocation Optimal(AllocationResult result) =>
        result.Allocation ?? throw new InvalidOperationException(result.Error!.Message);

    /// <summary>What the allocator acts on: the allocation, or the best found when the time limit passed first.</summary>
    private static Allocation Usable(AllocationResult result) =>
        result.Allocation ?? result.Error!.BestFound ?? throw new InvalidOperationException(result.Error.Message);
}
