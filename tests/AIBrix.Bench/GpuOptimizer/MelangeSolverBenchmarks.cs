using AIBrix.GpuOptimizer;
using BenchmarkDotNet.Attributes;

namespace AIBrix.Bench.GpuOptimizer;

/// <summary>
/// One solve of Mélange's ILP for 64 buckets (8 output × 8 input lengths) and 5 GPU types (A10, L20, L40S, A100,
/// H100 serving Llama-3.1-8B, <see cref="SyntheticProfiles"/>), slice factor 4 (AIBrix's), at a light and a heavy
/// request rate. Goal: ≤ 100 ms. <see cref="SolveExact"/> proves the optimum; <see cref="SolveHalfPercentGap"/> stops
/// within 0.5 % of it; <see cref="CheckCurrent"/> is the hysteresis check that the counts in force still cover the load.
/// </summary>
[MemoryDiagnoser]
public class MelangeSolverBenchmarks
{
    private AllocationProblem _problem = null!;
    private MelangeSolver _exact = null!;
    private MelangeSolver _gap = null!;
    private IReadOnlyDictionary<string, int> _current = null!;

    [Params(20.0, 400.0)]
    public double TotalRate { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var grid = SyntheticProfiles.Grid(8, 8);
        var pools = SyntheticProfiles.Pools(grid, 5);
        _problem = new AllocationProblem(SyntheticProfiles.Load(grid, TotalRate, seed: 1), pools);
        _exact = new MelangeSolver(new SolverOptions { TimeLimit = TimeSpan.FromSeconds(30) });
        _gap = new MelangeSolver(new SolverOptions { TimeLimit = TimeSpan.FromSeconds(30), RelativeGap = 0.005 });
        var optimum = Optimal(_exact.Solve(_problem));
        _current = optimum.Replicas;
        Console.WriteLine($"// {TotalRate} req/s: optimum {optimum}");
    }

    [Benchmark(Baseline = true)]
    public double SolveExact() => Optimal(_exact.Solve(_problem)).Cost;

    [Benchmark]
    public double SolveHalfPercentGap() => Optimal(_gap.Solve(_problem)).Cost;

    [Benchmark]
    public bool CheckCurrent() => _exact.Check(_problem, _current).Succeeded;

    private static Allocation Optimal(AllocationResult result) =>
        result.Allocation ?? throw new InvalidOperationException(result.Error!.Message);
}
