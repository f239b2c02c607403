using System.Diagnostics;
using System.Globalization;
using Google.OrTools.LinearSolver;

namespace AIBrix.GpuOptimizer;

/// <summary>
/// Mélange's GPU allocation as an integer program, solved with OR-Tools' CP-SAT (docs/gpu-optimizer.md writes it out).
/// Each bucket's request rate is cut into <see cref="SolverOptions.SliceFactor"/> equal slices; every slice goes to one
/// GPU type; each type gets an integer replica count whose capacity covers the load of its slices, where a slice's
/// load on a type is its rate over the type's profiled max rate for the bucket; the total cost is minimal.
/// </summary>
/// <remarks>
/// The slices of a bucket are interchangeable, so instead of one binary per (slice, type) as in Mélange the model
/// keeps one integer per (bucket, type): how many of the bucket's slices the type takes. Same solutions, no
/// symmetric copies for the solver to wade through. A type whose profile has no rate for a bucket (0: it cannot meet
/// the SLOs there) gets no variable for it. CP-SAT, not SCIP: on 64 buckets × 5 types it proves the optimum several
/// times sooner here (docs/benchmarks.md). Stateless and thread-safe: each call builds its own solver.
/// </remarks>
public sealed class MelangeSolver
{
    private readonly SolverOptions _options;

    /// <summary>Creates a solver.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public MelangeSolver(SolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }

        _options = options;
    }

    /// <summary>The cheapest allocation that covers the load within every type's limits, or why there is none.</summary>
    /// <param name="problem">The load and the GPU types.</param>
    /// <param name="hint">
    /// An allocation to start from, typically the previous interval's (<see cref="GpuAllocator"/> passes the one in force):
    /// with <see cref="SolverOptions.PrimalHeuristic"/> its split seeds the heuristic's search, whose result CP-SAT
    /// starts from. It never changes what is optimal, only how soon it is found; it may be stale (other buckets, types
    /// gone, limits passed).
    /// </param>
    public AllocationResult Solve(AllocationProblem problem, Allocation? hint = null) => Run(problem, fixedReplicas: null, hint);

    /// <summary>
    /// Whether these replica counts cover the load within the limits (a type left out counts as 0 replicas); the
    /// result is the allocation at exactly these counts, or why they fall short.
    /// </summary>
    public AllocationResult Check(AllocationProblem problem, IReadOnlyDictionary<string, int> replicas)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        return Run(problem, replicas, hint: null);
    }

    private AllocationResult Run(AllocationProblem problem, IReadOnlyDictionary<string, int>? fixedReplicas, Allocation? hint)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var inputErrors = problem.Validate();
        if (inputErrors.Count > 0)
        {
            return AllocationResult.Failed(AllocationErrorKind.InvalidInput, string.Join("; ", inputErrors));
        }

        var pools = problem.Pools;
        var buckets = LoadedBuckets(problem.Load);
        if (Unservable(problem, buckets) is { } unservable)
        {
            return AllocationResult.Failed(AllocationErrorKind.Infeasible, unservable);
        }

        if (fixedReplicas is not null && OutsideLimits(pools, fixedReplicas) is { } outside)
        {
            return AllocationResult.Failed(AllocationErrorKind.Infeasible, outside);
        }

        if (_options.Method == SolverMethod.BranchAndBound)
        {
            return new ReplicaBranchAndBound(this, problem, buckets, fixedReplicas).Run();
        }

        var clock = Stopwatch.StartNew();
        PrimalHeuristic? heuristic = null;
        HeuristicSolution? start = null;
        if (fixedReplicas is null && _options.PrimalHeuristic)
        {
            heuristic = new PrimalHeuristic(problem, buckets, _options.SliceFactor);
            start = heuristic.Run(hint);
        }

        // The LP relaxation bounds the optimum from below: when the heuristic is already within the gap, nothing is left to prove.
        if (start is not null && heuristic!.LowerBound > 0 && start.Cost - heuristic.LowerBound <= _options.RelativeGap * start.Cost)
        {
            return AllocationResult.Optimal(Read(problem, buckets, start.Counts, start.Slices)) with
            {
                Gap = GapOf(start.Cost, heuristic.LowerBound),
            };
        }

        var left = _options.TimeLimit - clock.Elapsed;
        if (left <= TimeSpan.Zero)
        {
            return Fallback(problem, buckets, start, heuristic?.LowerBound ?? 0, found: null, bound: 0);
        }

        if (_options.Method == SolverMethod.CpSat)
        {
            return SolveCpSat(problem, buckets, fixedReplicas, left, start, heuristic?.LowerBound ?? 0);
        }

        return new ScaledCpSatModel(this, problem, buckets, fixedReplicas, start, heuristic?.LowerBound ?? 0, left).Run();
    }

    /// <summary>
    /// When the time limit passed before an optimum was proven: the cheaper of the solver's best (<paramref name="found"/>)
    /// and the heuristic's allocation, as a <see cref="AllocationErrorKind.TimeLimit"/> error whose result reports the
    /// gap to the best lower bound known (the solver's or the LP relaxation's).
    /// </summary>
    internal AllocationResult Fallback(
        AllocationProblem problem, List<(int Row, int Column, double Rate)> buckets, HeuristicSolution? start, double lpBound, Allocation? found, double bound)
    {
        var best = found;
        if (start is not null && (best is null || start.Cost < best.Cost - 1e-9))
        {
            best = Read(problem, buckets, start.Counts, start.Slices);
        }

        if (best is null)
        {
            return AllocationResult.Failed(AllocationErrorKind.TimeLimit,
                string.Create(CultureInfo.InvariantCulture,
                    $"no allocation found within {_options.TimeLimit.TotalMilliseconds:0} ms; raise the time limit or lower the slice factor"));
        }

        double lowest = Math.Min(best.Cost, Math.Max(bound, lpBound));
        double gap = GapOf(best.Cost, lowest);
        return AllocationResult.Failed(new AllocationError(AllocationErrorKind.TimeLimit,
            string.Create(CultureInfo.InvariantCulture,
                $"no optimal allocation proven within {_options.TimeLimit.TotalMilliseconds:0} ms: the best found costs {best.Cost:0.###}, " +
                $"the optimum is at least {lowest:0.###} (gap {gap:P2}); raise the time limit or allow a relative gap"))
        {
            BestFound = best,
        }) with { Gap = gap };
    }

    /// <summary>The whole program in CP-SAT; with <paramref name="fixedReplicas"/> the counts are fixed (a feasibility check).</summary>
    internal AllocationResult SolveCpSat(
        AllocationProblem problem, List<(int Row, int Column, double Rate)> buckets, IReadOnlyDictionary<string, int>? fixedReplicas, TimeSpan timeLimit,
        HeuristicSolution? start = null, double lpBound = 0)
    {
        var pools = problem.Pools;
        using var solver = Solver.CreateSolver("CP_SAT");
        if (solver is null)
        {
            return AllocationResult.Failed(AllocationErrorKind.SolverFailure, "OR-Tools' CP-SAT solver is not available in this build");
        }

        solver.SetTimeLimit(Math.Max(1, (long)Math.Ceiling(timeLimit.TotalMilliseconds)));
        string parameters = "";
        if (_options.RelativeGap > 0)
        {
            parameters = string.Create(CultureInfo.InvariantCulture, $"relative_gap_limit:{_options.RelativeGap:R}");
        }

        if (parameters.Length > 0)
        {
            solver.SetSolverSpecificParametersAsString(parameters);
        }

        int slices = _options.SliceFactor;
        var objective = solver.Objective();
        var replicas = new Variable[pools.Count];
        var capacity = new Constraint[pools.Count];
        for (int j = 0; j < pools.Count; j++)
        {
            double lower = pools[j].MinReplicas;
            double upper = pools[j].MaxReplicas ?? double.PositiveInfinity;
            if (fixedReplicas is not null)
            {
                lower = upper = fixedReplicas.GetValueOrDefault(pools[j].Name);
            }

            replicas[j] = solver.MakeIntVar(lower, upper, $"y_{j}");
            objective.SetCoefficient(replicas[j], pools[j].Profile.Cost);
            // Σ_b n[b,j] · (rate_b / S) / tput[b,j]  <=  y_j
            capacity[j] = solver.MakeConstraint(double.NegativeInfinity, 0, $"capacity_{j}");
            capacity[j].SetCoefficient(replicas[j], -1);
        }

        var taken = new Variable?[buckets.Count, pools.Count];
        for (int b = 0; b < buckets.Count; b++)
        {
            var (row, column, rate) = buckets[b];
            var assigned = solver.MakeConstraint(slices, slices, $"assign_{b}");   // Σ_j n[b,j] = S
            for (int j = 0; j < pools.Count; j++)
            {
                double maxRate = pools[j].Profile.Tputs[row, column];
                if (maxRate <= 0)
                {
                    continue;
                }

                var n = solver.MakeIntVar(0, slices, $"n_{b}_{j}");
                assigned.SetCoefficient(n, 1);
                capacity[j].SetCoefficient(n, rate / slices / maxRate);
                taken[b, j] = n;
            }
        }

        objective.SetMinimization();
        if (start is not null)
        {
            Hint(solver, start, replicas, taken);
        }

        var status = solver.Solve();
        return status switch
        {
            Solver.ResultStatus.OPTIMAL => AllocationResult.Optimal(Read(problem, buckets, replicas, taken)) with
            {
                Gap = GapOf(objective.Value(), objective.BestBound()),
            },
            Solver.ResultStatus.FEASIBLE => Fallback(problem, buckets, start, lpBound, Read(problem, buckets, replicas, taken), objective.BestBound()),
            Solver.ResultStatus.INFEASIBLE => AllocationResult.Failed(AllocationErrorKind.Infeasible, Infeasible(problem, fixedReplicas)),
            Solver.ResultStatus.NOT_SOLVED => Fallback(problem, buckets, start, lpBound, found: null, bound: 0),
            _ => AllocationResult.Failed(AllocationErrorKind.SolverFailure, $"CP-SAT ended with status {status}"),
        };
    }

    internal SolverOptions Options => _options;

    /// <summary>How far <paramref name="cost"/> may be above the optimum, which is at least <paramref name="bound"/>; rounding noise (under 10⁻⁹) is 0.</summary>
    internal static double GapOf(double cost, double bound)
    {
        double gap = cost > 0 ? (cost - bound) / cost : 0;
        return gap < 1e-9 ? 0 : gap;
    }

    /// <summary>Every variable's value in the heuristic's allocation, as CP-SAT's starting point.</summary>
    private static void Hint(Solver solver, HeuristicSolution start, Variable[] replicas, Variable?[,] taken)
    {
        var variables = new List<Variable>(replicas);
        var values = new List<double>(start.Counts.Select(c => (double)c));
        for (int b = 0; b < taken.GetLength(0); b++)
        {
            for (int j = 0; j < replicas.Length; j++)
            {
                if (taken[b, j] is { } n)
                {
                    variables.Add(n);
                    values.Add(start.Slices[b, j]);
                }
            }
        }

        solver.SetHint([.. variables], [.. values]);
    }

    internal static List<(int Row, int Column, double Rate)> LoadedBuckets(LoadHistogram load)
    {
        var buckets = new List<(int, int, double)>();
        for (int r = 0; r < load.Grid.Rows; r++)
        {
            for (int c = 0; c < load.Grid.Columns; c++)
            {
                if (load.Rates[r, c] > 0)
                {
                    buckets.Add((r, c, load.Rates[r, c]));
                }
            }
        }

        return buckets;
    }

    private static string? Unservable(AllocationProblem problem, List<(int Row, int Column, double Rate)> buckets)
    {
        var orphans = buckets.Where(b => problem.Pools.All(p => p.Profile.Tputs[b.Row, b.Column] <= 0)).ToList();
        if (orphans.Count == 0)
        {
            return null;
        }

        string list = string.Join("; ", orphans.Take(5).Select(b =>
            string.Create(CultureInfo.InvariantCulture, $"{problem.Load.Grid.Describe(b.Row, b.Column)} at {b.Rate:0.###} req/s")));
        return $"no GPU type can serve {orphans.Count} loaded bucket(s) within its SLOs ({list}{(orphans.Count > 5 ? "; ..." : "")}): " +
               "add a larger GPU type or profile with looser SLOs";
    }

    private static string? OutsideLimits(IReadOnlyList<GpuPool> pools, IReadOnlyDictionary<string, int> replicas)
    {
        var outside = pools.Where(p =>
        {
            int n = replicas.GetValueOrDefault(p.Name);
            return n < p.MinReplicas || n > (p.MaxReplicas ?? int.MaxValue);
        }).Select(p => $"{p.Name}={replicas.GetValueOrDefault(p.Name)} not in [{p.MinReplicas}, {p.MaxReplicas?.ToString(CultureInfo.InvariantCulture) ?? "∞"}]").ToList();
        return outside.Count == 0 ? null : "the replicas are outside the limits: " + string.Join(", ", outside);
    }

    internal static string Infeasible(AllocationProblem problem, IReadOnlyDictionary<string, int>? fixedReplicas)
    {
        string total = problem.Load.TotalRate.ToString("0.###", CultureInfo.InvariantCulture);
        if (fixedReplicas is not null)
        {
            return $"{string.Join(", ", problem.Pools.Select(p => $"{p.Name}={fixedReplicas.GetValueOrDefault(p.Name)}"))} " +
                   $"cannot serve {total} req/s within the SLOs";
        }

        string limits = string.Join(", ", problem.Pools.Select(p =>
            $"{p.Name} <= {p.MaxReplicas?.ToString(CultureInfo.InvariantCulture) ?? "unlimited"}"));
        return $"{total} req/s cannot be served within the SLOs by the GPUs available ({limits}): raise a limit or add a GPU type";
    }

    private Allocation Read(AllocationProblem problem, List<(int Row, int Column, double Rate)> buckets, Variable[] replicas, Variable?[,] taken)
    {
        var counts = replicas.Select(v => (int)Math.Round(v.SolutionValue())).ToArray();
        var slices = new int[buckets.Count, replicas.Length];
        for (int b = 0; b < buckets.Count; b++)
        {
            for (int j = 0; j < replicas.Length; j++)
            {
                slices[b, j] = taken[b, j] is { } v ? (int)Math.Round(v.SolutionValue()) : 0;
            }
        }

        return Read(problem, buckets, counts, slices);
    }

    /// <summary>The allocation with these counts and slices per (bucket, type).</summary>
    internal Allocation Read(AllocationProblem problem, List<(int Row, int Column, double Rate)> buckets, int[] counts, int[,] taken)
    {
        var pools = problem.Pools;
        int slices = _options.SliceFactor;
        var load = new double[pools.Count];
        var assignments = new List<BucketAssignment>(buckets.Count);
        for (int b = 0; b < buckets.Count; b++)
        {
            var (row, column, rate) = buckets[b];
            var split = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int j = 0; j < pools.Count; j++)
            {
                int n = taken[b, j];
                if (n > 0)
                {
                    split[pools[j].Name] = n;
                    load[j] += n * rate / slices / pools[j].Profile.Tputs[row, column];
                }
            }

            assignments.Add(new BucketAssignment(row, column, rate, split));
        }

        var gpus = new GpuAllocation[pools.Count];
        for (int j = 0; j < pools.Count; j++)
        {
            gpus[j] = new GpuAllocation(pools[j].Name, counts[j], load[j], counts[j] * pools[j].Profile.Cost);
        }

        return new Allocation(gpus, assignments);
    }
}
