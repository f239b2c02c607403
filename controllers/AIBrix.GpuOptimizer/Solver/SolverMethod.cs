namespace AIBrix.GpuOptimizer;

/// <summary>How <see cref="MelangeSolver"/> searches (a test checks they give the same cost on small problems).</summary>
public enum SolverMethod
{
    /// <summary>The whole integer program (counts and slices) in OR-Tools' CP-SAT through its <c>MPSolver</c> wrapper.</summary>
    CpSat,

    /// <summary>
    /// Branch and bound over the replica counts only, bounded by the LP relaxation of the slice shares (GLOP), with the
    /// integer slices rounded and repaired at each candidate count; CP-SAT with the counts fixed settles a candidate the
    /// repair cannot, within <see cref="SolverOptions.CountCheckLimit"/>. Exact when every candidate is settled in
    /// time; otherwise the result's <see cref="AllocationResult.Gap"/> says how far from proven. Opt-in: faster at light
    /// load, not at heavy load (docs/benchmarks.md).
    /// </summary>
    BranchAndBound,

    /// <summary>
    /// The same program as <see cref="CpSat"/>, built in CP-SAT's own model with whole-number loads (10⁻⁹ replica)
    /// and costs, finite count bounds, one search worker and a feasible hint. Exact like <see cref="CpSat"/> (a test
    /// checks the same cost on random problems). The default: with <see cref="SolverOptions.RelativeGap"/> 0.5 % and
    /// <see cref="SolverOptions.PrimalHeuristic"/> it was the fastest on 64 buckets × 5 types (docs/benchmarks.md).
    /// </summary>
    ScaledCpSat,
}
