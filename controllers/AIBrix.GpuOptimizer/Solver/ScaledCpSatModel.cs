using System.Globalization;
using Google.OrTools.Sat;

namespace AIBrix.GpuOptimizer;

/// <summary>
/// One solve of <see cref="SolverMethod.ScaledCpSat"/>: the same program as <see cref="SolverMethod.CpSat"/>, built in
/// CP-SAT's own model instead of through the <c>MPSolver</c> wrapper, so that the solver sees whole numbers it can
/// reason with: loads in units of 10⁻⁹ replica, costs in the smallest decimal unit that makes them whole (0.1 for
/// 1.4 $/h), finite replica bounds, one search worker (on 2 cores the portfolio's workers only take turns) and a
/// feasible hint (every bucket on its cheapest type). A load is rounded to the nearest unit and each type's capacity
/// gets half a unit of slack per slice variable, so no allocation that fits in real numbers is cut off; one that
/// fits only by that slack (at most 10⁻⁹ replica per slice) is caught when read back in real numbers and solved
/// again with <see cref="SolverMethod.CpSat"/>.
/// </summary>
internal sealed class ScaledCpSatModel
{
    /// <summary>Load units per replica.</summary>
    private const double LoadScale = 1e9;

    /// <summary>Loads may pass a count by this much when read back in real numbers (the tests' tolerance is 1e-6).</summary>
    private const double CapacityTolerance = 1e-6;

    private readonly MelangeSolver _owner;
    private readonly AllocationProblem _problem;
    private readonly List<(int Row, int Column, double Rate)> _buckets;
    private readonly IReadOnlyDictionary<string, int>? _fixed;
    private readonly HeuristicSolution? _start;
    private readonly double _lpBound;
    private readonly TimeSpan _timeLimit;

    public ScaledCpSatModel(
        MelangeSolver owner, AllocationProblem problem, List<(int Row, int Column, double Rate)> buckets, IReadOnlyDictionary<string, int>? fixedReplicas,
        HeuristicSolution? start, double lpBound, TimeSpan timeLimit)
    {
        _owner = owner;
        _problem = problem;
        _buckets = buckets;
        _fixed = fixedReplicas;
        _start = start;
        _lpBound = lpBound;
        _timeLimit = timeLimit;
    }

    public AllocationResult Run()
    {
        var options = _owner.Options;
        var pools = _problem.Pools;
        int types = pools.Count;
        int slices = options.SliceFactor;
        var model = new CpModel();

        // Per (bucket, type): one slice's load in replicas, NaN where the type cannot serve the bucket.
        var sliceLoad = new double[_buckets.Count, types];
        var allLoad = new double[types];
        for (int b = 0; b < _buckets.Count; b++)
        {
            var (row, column, rate) = _buckets[b];
            for (int j = 0; j < types; j++)
            {
                double maxRate = pools[j].Profile.Tputs[row, column];
                sliceLoad[b, j] = maxRate > 0 ? rate / slices / maxRate : double.NaN;
                allLoad[j] += maxRate > 0 ? rate / maxRate : 0;
            }
        }

        var replicas = new IntVar[types];
        for (int j = 0; j < types; j++)
        {
            long lower = pools[j].MinReplicas;
            // More than the whole load on this type never pays; the bound keeps every domain finite.
            long upper = Math.Max(lower, (long)Math.Ceiling(allLoad[j] * (1 + 1e-9)));
            if (pools[j].MaxReplicas is { } max)
            {
                upper = Math.Min(upper, max);
            }

            if (_fixed is not null)
            {
                lower = upper = _fixed.GetValueOrDefault(pools[j].Name);
            }

            replicas[j] = model.NewIntVar(lower, upper, $"y_{j}");
        }

        var taken = new IntVar?[_buckets.Count, types];
        var capacityVars = Enumerable.Range(0, types).Select(_ => new List<IntVar>()).ToArray();
        var capacityWeights = Enumerable.Range(0, types).Select(_ => new List<long>()).ToArray();
        for (int b = 0; b < _buckets.Count; b++)
        {
            var split = new List<IntVar>(types);
            for (int j = 0; j < types; j++)
            {
                if (double.IsNaN(sliceLoad[b, j]))
                {
                    continue;
                }

                var n = model.NewIntVar(0, slices, $"n_{b}_{j}");
                taken[b, j] = n;
                split.Add(n);
                capacityVars[j].Add(n);
                capacityWeights[j].Add((long)Math.Round(sliceLoad[b, j] * LoadScale));
            }

            model.Add(LinearExpr.Sum(split) == slices);
        }

        for (int j = 0; j < types; j++)
        {
            // Σ_b n[b,j] · load[b,j]  <=  y_j, in load units, with the rounding's worst case as slack.
            long slack = (capacityVars[j].Count * (long)slices + 1) / 2;
            model.Add(LinearExpr.WeightedSum(capacityVars[j], capacityWeights[j]) <= LinearExpr.Term(replicas[j], (long)LoadScale) + slack);
        }

        long costScale = CostScale(pools);
        model.Minimize(LinearExpr.WeightedSum(replicas, pools.Select(p => (long)Math.Round(p.Profile.Cost * costScale))));
        if (_start is not null)
        {
            HintStart(model, _start, replicas, taken);
        }
        else if (_fixed is null)
        {
            Hint(model, pools, sliceLoad, replicas, taken);
        }

        var solver = new CpSolver
        {
            StringParameters = string.Create(CultureInfo.InvariantCulture,
                $"max_time_in_seconds:{_timeLimit.TotalSeconds:R},num_workers:1,relative_gap_limit:{options.RelativeGap:R}"),
        };
        var status = solver.Solve(model);
        switch (status)
        {
            case CpSolverStatus.Optimal:
            case CpSolverStatus.Feasible:
                var allocation = Read(solver, replicas, taken);
                if (Overloaded(allocation))
                {
                    // Fits only by the rounding slack: the unscaled program decides (never seen on real profiles).
                    return _owner.SolveCpSat(_problem, _buckets, _fixed, _timeLimit, _start, _lpBound);
                }

                double objective = solver.ObjectiveValue;
                double bound = solver.BestObjectiveBound;
                if (status == CpSolverStatus.Optimal)
                {
                    return AllocationResult.Optimal(allocation) with { Gap = MelangeSolver.GapOf(objective, bound) };
                }

                return _owner.Fallback(_problem, _buckets, _start, _lpBound, allocation, bound / costScale);
            case CpSolverStatus.Infeasible:
                return AllocationResult.Failed(AllocationErrorKind.Infeasible, MelangeSolver.Infeasible(_problem, _fixed));
            case CpSolverStatus.Unknown:
                return _owner.Fallback(_problem, _buckets, _start, _lpBound, found: null, bound: 0);
            default:
                return AllocationResult.Failed(AllocationErrorKind.SolverFailure, $"CP-SAT ended with status {status}: {solver.SolutionInfo()}");
        }
    }

    /// <summary>The smallest power of ten (up to 10⁶) that makes every cost whole; past that, costs are rounded to 10⁻⁶.</summary>
    internal static long CostScale(IReadOnlyList<GpuPool> pools)
    {
        long scale = 1;
        for (int digits = 0; digits < 6; digits++, scale *= 10)
        {
            long s = scale;
            if (pools.All(p => Math.Abs(p.Profile.Cost * s - Math.Round(p.Profile.Cost * s)) <= 1e-9 * Math.Max(1, p.Profile.Cost * s)))
            {
                return scale;
            }
        }

        return scale;
    }

    /// <summary>The primal heuristic's allocation as the starting point (<see cref="SolverOptions.PrimalHeuristic"/>).</summary>
    private static void HintStart(CpModel model, HeuristicSolution start, IntVar[] replicas, IntVar?[,] taken)
    {
        for (int j = 0; j < replicas.Length; j++)
        {
            model.AddHint(replicas[j], start.Counts[j]);
            for (int b = 0; b < taken.GetLength(0); b++)
            {
                if (taken[b, j] is { } n)
                {
                    model.AddHint(n, start.Slices[b, j]);
                }
            }
        }
    }

    /// <summary>Every bucket on the type where it costs least per request, counts rounded up: feasible unless a limit is in the way.</summary>
    private void Hint(CpModel model, IReadOnlyList<GpuPool> pools, double[,] sliceLoad, IntVar[] replicas, IntVar?[,] taken)
    {
        int types = pools.Count;
        var load = new double[types];
        var choice = new int[_buckets.Count];
        for (int b = 0; b < _buckets.Count; b++)
        {
            int best = -1;
            for (int j = 0; j < types; j++)
            {
                if (!double.IsNaN(sliceLoad[b, j]) && (best < 0 || sliceLoad[b, j] * pools[j].Profile.Cost < sliceLoad[b, best] * pools[best].Profile.Cost))
                {
                    best = j;
                }
            }

            choice[b] = best;
            load[best] += sliceLoad[b, best] * _owner.Options.SliceFactor;
        }

        var counts = new long[types];
        for (int j = 0; j < types; j++)
        {
            counts[j] = Math.Max(pools[j].MinReplicas, (long)Math.Ceiling(load[j] - 1e-9));
            if (counts[j] > (pools[j].MaxReplicas ?? long.MaxValue))
            {
                return;   // not feasible: let CP-SAT find its own first allocation
            }
        }

        for (int j = 0; j < types; j++)
        {
            model.AddHint(replicas[j], counts[j]);
            for (int b = 0; b < _buckets.Count; b++)
            {
                if (taken[b, j] is { } n)
                {
                    model.AddHint(n, choice[b] == j ? _owner.Options.SliceFactor : 0);
                }
            }
        }
    }

    private Allocation Read(CpSolver solver, IntVar[] replicas, IntVar?[,] taken)
    {
        var counts = replicas.Select(v => (int)solver.Value(v)).ToArray();
        var slices = new int[_buckets.Count, replicas.Length];
        for (int b = 0; b < _buckets.Count; b++)
        {
            for (int j = 0; j < replicas.Length; j++)
            {
                slices[b, j] = taken[b, j] is { } v ? (int)solver.Value(v) : 0;
            }
        }

        return _owner.Read(_problem, _buckets, counts, slices);
    }

    private static bool Overloaded(Allocation allocation) => allocation.Gpus.Any(g => g.Load > g.Replicas + CapacityTolerance);
}
