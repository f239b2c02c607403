using System.Diagnostics;
using System.Globalization;
using Google.OrTools.LinearSolver;

namespace AIBrix.GpuOptimizer;

/// <summary>
/// One solve of <see cref="SolverMethod.BranchAndBound"/>. The program has few replica counts (one per GPU type) and
/// many slice counts; the search branches on the counts only. A node is a box of counts; its bound is the LP
/// relaxation (slice shares continuous, GLOP, re-solved warm as only the box changes). When the LP's counts are whole,
/// the slices are made whole: each LP share is rounded down and the leftover slices placed greedily where they fit
/// (the LP's vertex splits few buckets, so this nearly always works); when that fails, CP-SAT decides with the counts
/// fixed. A count vector whose slices cannot be made whole is cut out of its box (the box is split around it), so the
/// search stays exact: it stops when no open box's bound is below the best allocation (or within the relative gap).
/// Rounding the LP's counts up, with the same repair, gives early allocations to prune with.
/// </summary>
internal sealed class ReplicaBranchAndBound
{
    /// <summary>A node is pruned when its bound is not this much below the best cost (costs are sums of hourly prices).</summary>
    private const double CostTolerance = 1e-7;

    /// <summary>A type's load may pass its replica count by this much (relative), as the LP's own tolerance.</summary>
    private const double CapacityTolerance = 1e-9;

    private const double IntegralTolerance = 1e-6;

    private readonly MelangeSolver _owner;
    private readonly AllocationProblem _problem;
    private readonly List<(int Row, int Column, double Rate)> _buckets;
    private readonly IReadOnlyDictionary<string, int>? _fixed;
    private readonly int _types;
    private readonly int _slices;
    private readonly double[] _cost;

    /// <summary>Load of one slice of bucket b on type j in replicas; NaN where the type cannot serve the bucket.</summary>
    private readonly double[,] _sliceLoad;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int[]? _bestCounts;
    private int[,]? _bestSlices;
    private double _bestCost = double.PositiveInfinity;

    /// <summary>Lowest cost of a candidate count vector CP-SAT could not settle in time: the optimum may be there.</summary>
    private double _undecided = double.PositiveInfinity;

    public ReplicaBranchAndBound(
        MelangeSolver owner, AllocationProblem problem, List<(int Row, int Column, double Rate)> buckets, IReadOnlyDictionary<string, int>? fixedReplicas)
    {
        _owner = owner;
        _problem = problem;
        _buckets = buckets;
        _fixed = fixedReplicas;
        _types = problem.Pools.Count;
        _slices = owner.Options.SliceFactor;
        _cost = [.. problem.Pools.Select(p => p.Profile.Cost)];
        _sliceLoad = new double[buckets.Count, _types];
        for (int b = 0; b < buckets.Count; b++)
        {
            var (row, column, rate) = buckets[b];
            for (int j = 0; j < _types; j++)
            {
                double maxRate = problem.Pools[j].Profile.Tputs[row, column];
                _sliceLoad[b, j] = maxRate > 0 ? rate / _slices / maxRate : double.NaN;
            }
        }
    }

    private SolverOptions Options => _owner.Options;

    public AllocationResult Run()
    {
        using var lp = Solver.CreateSolver("GLOP");
        if (lp is null)
        {
            return AllocationResult.Failed(AllocationErrorKind.SolverFailure, "OR-Tools' GLOP solver is not available in this build");
        }

        var y = new Variable[_types];
        var capacity = new Constraint[_types];
        var lower = new double[_types];
        var upper = new double[_types];
        var objective = lp.Objective();
        for (int j = 0; j < _types; j++)
        {
            var pool = _problem.Pools[j];
            lower[j] = pool.MinReplicas;
            upper[j] = pool.MaxReplicas ?? double.PositiveInfinity;
            if (_fixed is not null)
            {
                lower[j] = upper[j] = _fixed.GetValueOrDefault(pool.Name);
            }

            y[j] = lp.MakeNumVar(lower[j], upper[j], $"y_{j}");
            objective.SetCoefficient(y[j], _cost[j]);
            capacity[j] = lp.MakeConstraint(double.NegativeInfinity, 0, $"capacity_{j}");
            capacity[j].SetCoefficient(y[j], -1);
        }

        var n = new Variable?[_buckets.Count, _types];
        for (int b = 0; b < _buckets.Count; b++)
        {
            var assigned = lp.MakeConstraint(_slices, _slices, $"assign_{b}");
            for (int j = 0; j < _types; j++)
            {
                if (double.IsNaN(_sliceLoad[b, j]))
                {
                    continue;
                }

                var v = lp.MakeNumVar(0, _slices, $"n_{b}_{j}");
                assigned.SetCoefficient(v, 1);
                capacity[j].SetCoefficient(v, _sliceLoad[b, j]);
                n[b, j] = v;
            }
        }

        objective.SetMinimization();

        // Best first: the open box with the lowest bound (its parent's LP value) is solved next.
        var open = new PriorityQueue<(double[] Lower, double[] Upper), double>();
        open.Enqueue((lower, upper), double.NegativeInfinity);
        double stopped = double.PositiveInfinity;   // lowest bound among the boxes left when the search stopped
        var shares = new double[_buckets.Count, _types];
        var counts = new double[_types];
        while (open.TryDequeue(out var box, out double parentBound))
        {
            if (parentBound >= Cutoff())
            {
                stopped = parentBound;
                break;   // every open box is bounded at least as high
            }

            if (_clock.Elapsed >= Options.TimeLimit)
            {
                return TimedOut(Math.Min(parentBound, _undecided));
            }

            for (int j = 0; j < _types; j++)
            {
                y[j].SetBounds(box.Lower[j], box.Upper[j]);
            }

            var status = lp.Solve();
            if (status == Solver.ResultStatus.INFEASIBLE)
            {
                continue;
            }

            if (status != Solver.ResultStatus.OPTIMAL)
            {
                return AllocationResult.Failed(AllocationErrorKind.SolverFailure, $"GLOP ended with status {status} on the relaxation");
            }

            double bound = objective.Value();
            if (bound >= Cutoff())
            {
                continue;
            }

            for (int j = 0; j < _types; j++)
            {
                counts[j] = y[j].SolutionValue();
            }

            for (int b = 0; b < _buckets.Count; b++)
            {
                for (int j = 0; j < _types; j++)
                {
                    shares[b, j] = n[b, j]?.SolutionValue() ?? 0;
                }
            }

            int branch = -1;
            double widest = 0;
            for (int j = 0; j < _types; j++)
            {
                double fraction = counts[j] - Math.Floor(counts[j]);
                if (fraction > IntegralTolerance && fraction < 1 - IntegralTolerance && fraction * _cost[j] > widest)
                {
                    widest = fraction * _cost[j];
                    branch = j;
                }
            }

            if (branch < 0)
            {
                var whole = counts.Select(c => (int)Math.Round(c)).ToArray();
                var result = MakeWhole(whole, shares, settleExactly: true);
                if (result.Error is { } error)
                {
                    return AllocationResult.Failed(error);
                }

                if (!result.Feasible)
                {
                    // Cut this count vector out of the box: the box minus a point is 2 × types boxes.
                    var lo = (double[])box.Lower.Clone();
                    var hi = (double[])box.Upper.Clone();
                    for (int j = 0; j < _types; j++)
                    {
                        if (whole[j] - 1 >= lo[j])
                        {
                            var below = (double[])hi.Clone();
                            below[j] = whole[j] - 1;
                            open.Enqueue(((double[])lo.Clone(), below), bound);
                        }

                        if (whole[j] + 1 <= hi[j])
                        {
                            var above = (double[])lo.Clone();
                            above[j] = whole[j] + 1;
                            open.Enqueue((above, (double[])hi.Clone()), bound);
                        }

                        lo[j] = hi[j] = whole[j];
                    }
                }

                continue;
            }

            // Rounding every count up keeps the LP's shares within capacity: try it for an early allocation.
            var ceiling = counts.Select((c, j) => (int)Math.Min(Math.Ceiling(c - IntegralTolerance), box.Upper[j])).ToArray();
            MakeWhole(ceiling, shares, settleExactly: false);

            double split = counts[branch];
            var down = (double[])box.Upper.Clone();
            down[branch] = Math.Floor(split);
            var up = (double[])box.Lower.Clone();
            up[branch] = Math.Ceiling(split);
            open.Enqueue((box.Lower, down), bound);
            open.Enqueue((up, box.Upper), bound);
        }

        if (_bestCounts is null)
        {
            if (!double.IsPositiveInfinity(_undecided))
            {
                return AllocationResult.Failed(AllocationErrorKind.TimeLimit, string.Create(CultureInfo.InvariantCulture,
                    $"no allocation found: the cheapest candidate counts (cost {_undecided:0.###}) could not be settled within " +
                    $"{Options.CountCheckLimit.TotalMilliseconds:0} ms; raise the count check limit"));
            }

            return AllocationResult.Failed(AllocationErrorKind.Infeasible, MelangeSolver.Infeasible(_problem, _fixed));
        }

        // Every box is closed: the optimum is the best found, or one of the candidates left undecided.
        double lowest = Math.Min(_bestCost, _undecided);
        if (stopped < _bestCost)
        {
            lowest = Math.Min(lowest, stopped);   // the search stopped within the relative gap
        }

        double gap = _bestCost > 0 ? Math.Max(0, (_bestCost - lowest) / _bestCost) : 0;
        return AllocationResult.Optimal(_owner.Read(_problem, _buckets, _bestCounts, _bestSlices!)) with { Gap = gap < 1e-9 ? 0 : gap };
    }

    /// <summary>Boxes bounded at or above this cannot improve on the best allocation by more than the allowed gap.</summary>
    private double Cutoff() =>
        double.IsPositiveInfinity(_bestCost) ? double.PositiveInfinity : (_bestCost * (1 - Options.RelativeGap)) - CostTolerance;

    private AllocationResult TimedOut(double bound)
    {
        if (_bestCounts is null)
        {
            return AllocationResult.Failed(AllocationErrorKind.TimeLimit,
                string.Create(CultureInfo.InvariantCulture,
                    $"no allocation found within {Options.TimeLimit.TotalMilliseconds:0} ms; raise the time limit or lower the slice factor"));
        }

        return AllocationResult.Failed(new AllocationError(AllocationErrorKind.TimeLimit,
            string.Create(CultureInfo.InvariantCulture,
                $"no optimal allocation proven within {Options.TimeLimit.TotalMilliseconds:0} ms: the best found costs {_bestCost:0.###}, " +
                $"the optimum is at least {Math.Min(bound, _bestCost):0.###}; raise the time limit or allow a relative gap"))
        {
            BestFound = _owner.Read(_problem, _buckets, _bestCounts, _bestSlices!),
        });
    }

    /// <summary>
    /// Whole slices for these counts from the LP's shares (which fit counts at or below them); records an improving
    /// allocation. With <paramref name="settleExactly"/>, when the repair fails CP-SAT decides with the counts fixed.
    /// </summary>
    private (bool Feasible, AllocationError? Error) MakeWhole(int[] counts, double[,] shares, bool settleExactly)
    {
        double cost = 0;
        for (int j = 0; j < _types; j++)
        {
            cost += counts[j] * _cost[j];
        }

        if (cost >= _bestCost)
        {
            return (true, null);   // nothing to gain (a box at this bound is closed by the cutoff anyway)
        }

        if (Repair(counts, shares) is { } slices)
        {
            Record(counts, slices, cost);
            return (true, null);
        }

        if (!settleExactly)
        {
            return (false, null);
        }

        var fixedCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int j = 0; j < _types; j++)
        {
            fixedCounts[_problem.Pools[j].Name] = counts[j];
        }

        var left = Options.TimeLimit - _clock.Elapsed;
        if (left <= TimeSpan.Zero)
        {
            return (false, new AllocationError(AllocationErrorKind.TimeLimit, $"no optimal allocation proven within {Options.TimeLimit.TotalMilliseconds:0} ms"));
        }

        // Checking given counts (Check) is the whole question and gets the whole time; a search candidate gets a slice.
        var limit = _fixed is not null || left < Options.CountCheckLimit ? left : Options.CountCheckLimit;
        var exact = _owner.SolveCpSat(_problem, _buckets, fixedCounts, limit);
        if (exact.Allocation is { } allocation)
        {
            var taken = new int[_buckets.Count, _types];
            for (int b = 0; b < _buckets.Count; b++)
            {
                for (int j = 0; j < _types; j++)
                {
                    taken[b, j] = allocation.Buckets[b].SlicesByGpu.GetValueOrDefault(_problem.Pools[j].Name);
                }
            }

            Record(counts, taken, cost);
            return (true, null);
        }

        switch (exact.Error!.Kind)
        {
            case AllocationErrorKind.Infeasible:
                return (false, null);
            case AllocationErrorKind.TimeLimit when _fixed is null && _clock.Elapsed < Options.TimeLimit:
                _undecided = Math.Min(_undecided, cost);
                return (false, null);
            case AllocationErrorKind.TimeLimit:
                return (false, TimedOut(Math.Min(cost, _undecided)).Error);
            default:
                return (false, exact.Error);
        }
    }

    private void Record(int[] counts, int[,] slices, double cost)
    {
        _bestCounts = (int[])counts.Clone();
        _bestSlices = slices;
        _bestCost = cost;
    }

    /// <summary>
    /// Rounds each LP share down, then places the leftover slices one by one, the heaviest first, on a type that still
    /// has room (one the LP gave a share of the bucket first, then the one with the most room); null when one does not fit.
    /// </summary>
    private int[,]? Repair(int[] counts, double[,] shares)
    {
        var taken = new int[_buckets.Count, _types];
        var used = new double[_types];
        var leftovers = new List<(int Bucket, double Heaviest)>();
        for (int b = 0; b < _buckets.Count; b++)
        {
            int placed = 0;
            double heaviest = 0;
            for (int j = 0; j < _types; j++)
            {
                if (double.IsNaN(_sliceLoad[b, j]))
                {
                    continue;
                }

                int whole = (int)Math.Floor(shares[b, j] + IntegralTolerance);
                whole = Math.Min(whole, _slices - placed);
                taken[b, j] = whole;
                placed += whole;
                used[j] += whole * _sliceLoad[b, j];
                heaviest = Math.Max(heaviest, _sliceLoad[b, j]);
            }

            for (int k = placed; k < _slices; k++)
            {
                leftovers.Add((b, heaviest));
            }
        }

        for (int j = 0; j < _types; j++)
        {
            if (used[j] > Room(counts[j]))
            {
                return null;
            }
        }

        leftovers.Sort((a, b) => b.Heaviest.CompareTo(a.Heaviest));
        foreach (var (bucket, _) in leftovers)
        {
            int best = -1;
            bool bestShared = false;
            double bestRoom = double.NegativeInfinity;
            for (int j = 0; j < _types; j++)
            {
                double load = _sliceLoad[bucket, j];
                if (double.IsNaN(load))
                {
                    continue;
                }

                double room = Room(counts[j]) - used[j] - load;
                if (room < 0)
                {
                    continue;
                }

                bool shared = shares[bucket, j] - taken[bucket, j] > IntegralTolerance;
                if (best < 0 || (shared && !bestShared) || (shared == bestShared && room > bestRoom))
                {
                    best = j;
                    bestShared = shared;
                    bestRoom = room;
                }
            }

            if (best < 0 && (best = Eject(bucket, counts, taken, used)) < 0)
            {
                return null;
            }

            taken[bucket, best]++;
            used[best] += _sliceLoad[bucket, best];
        }

        return taken;
    }

    /// <summary>
    /// Makes room for one slice of <paramref name="bucket"/> by moving one slice of another bucket off a type to a type
    /// with room for it (the lightest slice that frees enough); the type now with room, or -1.
    /// </summary>
    private int Eject(int bucket, int[] counts, int[,] taken, double[] used)
    {
        (int Type, int Victim, int To, double Load) move = (-1, -1, -1, double.PositiveInfinity);
        for (int j = 0; j < _types; j++)
        {
            if (double.IsNaN(_sliceLoad[bucket, j]))
            {
                continue;
            }

            double deficit = used[j] + _sliceLoad[bucket, j] - Room(counts[j]);
            for (int b = 0; b < _buckets.Count; b++)
            {
                double freed = _sliceLoad[b, j];
                if (b == bucket || taken[b, j] == 0 || freed < deficit || freed >= move.Load)
                {
                    continue;
                }

                for (int k = 0; k < _types; k++)
                {
                    if (k != j && !double.IsNaN(_sliceLoad[b, k]) && used[k] + _sliceLoad[b, k] <= Room(counts[k]))
                    {
                        move = (j, b, k, freed);
                        break;
                    }
                }
            }
        }

        if (move.Type < 0)
        {
            return -1;
        }

        taken[move.Victim, move.Type]--;
        used[move.Type] -= _sliceLoad[move.Victim, move.Type];
        taken[move.Victim, move.To]++;
        used[move.To] += _sliceLoad[move.Victim, move.To];
        return move.Type;
    }

    private static double Room(int count) => count + (CapacityTolerance * Math.Max(1, count));
}
