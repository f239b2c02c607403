using Google.OrTools.LinearSolver;

namespace AIBrix.GpuOptimizer;

/// <summary>A whole allocation found without search: replicas per type and slices per (bucket, type).</summary>
/// <param name="Counts">Replicas per type, in the problem's order.</param>
/// <param name="Slices">Slices of each loaded bucket per type.</param>
/// <param name="Cost">Σ counts × cost.</param>
internal sealed record HeuristicSolution(int[] Counts, int[,] Slices, double Cost);

/// <summary>
/// A fast feasible allocation to start CP-SAT from (its hint) and to fall back on when the time limit passes before
/// CP-SAT finds one. The LP relaxation of the slice shares (GLOP, counts continuous) gives shares per bucket and a
/// lower bound on the cost; each bucket's shares are rounded to whole slices (largest remainders), every type gets
/// the replicas its load needs, and a local search then removes replicas: drop one or two replicas of a type (adding
/// one of a cheaper type, or none) when its slices can move into the room the others have left. With a hint (the
/// previous interval's allocation) the same search also starts from its split, and the cheaper result is kept.
/// Always within the limits when it returns; it proves nothing (CP-SAT does).
/// </summary>
internal sealed class PrimalHeuristic
{
    /// <summary>A type's load may pass its count by this much (relative): the tests read loads back within 1e-6.</summary>
    private const double CapacityTolerance = 1e-9;

    /// <summary>Local-search rounds at most (each removes at least one replica's cost, so this is never reached in practice).</summary>
    private const int MaxRounds = 10_000;

    private readonly IReadOnlyList<GpuPool> _pools;
    private readonly List<(int Row, int Column, double Rate)> _buckets;
    private readonly int _slices;
    private readonly int _types;
    private readonly double[] _cost;
    private readonly int[] _min;
    private readonly int[] _max;

    /// <summary>Load of one slice of bucket b on type j in replicas; NaN where the type cannot serve the bucket.</summary>
    private readonly double[,] _sliceLoad;

    public PrimalHeuristic(AllocationProblem problem, List<(int Row, int Column, double Rate)> buckets, int slices)
    {
        _pools = problem.Pools;
        _buckets = buckets;
        _slices = slices;
        _types = _pools.Count;
        _cost = [.. _pools.Select(p => p.Profile.Cost)];
        _min = [.. _pools.Select(p => p.MinReplicas)];
        _max = [.. _pools.Select(p => p.MaxReplicas ?? int.MaxValue)];
        _sliceLoad = new double[buckets.Count, _types];
        for (int b = 0; b < buckets.Count; b++)
        {
            var (row, column, rate) = buckets[b];
            for (int j = 0; j < _types; j++)
            {
                double maxRate = _pools[j].Profile.Tputs[row, column];
                _sliceLoad[b, j] = maxRate > 0 ? rate / slices / maxRate : double.NaN;
            }
        }
    }

    /// <summary>The LP relaxation's cost after <see cref="Run"/>: no allocation costs less; 0 when the LP was not solved.</summary>
    public double LowerBound { get; private set; }

    /// <summary>The cheapest allocation found from the LP's shares and from <paramref name="hint"/>; null when none fits the limits.</summary>
    public HeuristicSolution? Run(Allocation? hint)
    {
        var shares = RelaxedShares();
        HeuristicSolution? best = null;
        if (shares is not null)
        {
            best = Improve(Rounded(shares));
        }

        if (hint is not null && FromHint(hint, shares) is { } start && Improve(start) is { } warm && (best is null || warm.Cost < best.Cost))
        {
            best = warm;
        }

        return best;
    }

    /// <summary>The LP relaxation's slice shares (counts continuous within the limits); null when even it is infeasible.</summary>
    private double[,]? RelaxedShares()
    {
        using var lp = Solver.CreateSolver("GLOP");
        if (lp is null)
        {
            return null;
        }

        var objective = lp.Objective();
        var capacity = new Constraint[_types];
        for (int j = 0; j < _types; j++)
        {
            var y = lp.MakeNumVar(_min[j], _pools[j].MaxReplicas ?? double.PositiveInfinity, $"y_{j}");
            objective.SetCoefficient(y, _cost[j]);
            capacity[j] = lp.MakeConstraint(double.NegativeInfinity, 0, $"capacity_{j}");
            capacity[j].SetCoefficient(y, -1);
        }

        var n = new Variable?[_buckets.Count, _types];
        for (int b = 0; b < _buckets.Count; b++)
        {
            var assigned = lp.MakeConstraint(_slices, _slices, $"assign_{b}");
            for (int j = 0; j < _types; j++)
            {
                if (!double.IsNaN(_sliceLoad[b, j]))
                {
                    n[b, j] = lp.MakeNumVar(0, _slices, $"n_{b}_{j}");
                    assigned.SetCoefficient(n[b, j], 1);
                    capacity[j].SetCoefficient(n[b, j], _sliceLoad[b, j]);
                }
            }
        }

        objective.SetMinimization();
        if (lp.Solve() != Solver.ResultStatus.OPTIMAL)
        {
            return null;
        }

        LowerBound = objective.Value();
        var shares = new double[_buckets.Count, _types];
        for (int b = 0; b < _buckets.Count; b++)
        {
            for (int j = 0; j < _types; j++)
            {
                shares[b, j] = n[b, j]?.SolutionValue() ?? 0;
            }
        }

        return shares;
    }

    /// <summary>Each bucket's shares rounded down, the slices left over given to the largest remainders.</summary>
    private int[,] Rounded(double[,] shares)
    {
        var taken = new int[_buckets.Count, _types];
        for (int b = 0; b < _buckets.Count; b++)
        {
            RoundBucket(b, shares, taken);
        }

        return taken;
    }

    private void RoundBucket(int b, double[,] shares, int[,] taken)
    {
        int placed = 0;
        for (int j = 0; j < _types; j++)
        {
            taken[b, j] = double.IsNaN(_sliceLoad[b, j]) ? 0 : (int)Math.Floor(shares[b, j] + 1e-9);
            placed += taken[b, j];
        }

        for (; placed < _slices; placed++)
        {
            int best = -1;
            for (int j = 0; j < _types; j++)
            {
                if (!double.IsNaN(_sliceLoad[b, j]) && (best < 0 || shares[b, j] - taken[b, j] > shares[b, best] - taken[b, best]))
                {
                    best = j;
                }
            }

            taken[b, best]++;
        }

        for (; placed > _slices; placed--)
        {
            int most = 0;
            for (int j = 1; j < _types; j++)
            {
                most = taken[b, j] > taken[b, most] ? j : most;
            }

            taken[b, most]--;
        }
    }

    /// <summary>The hint's split where it still fits (its bucket has load, its types serve it); the LP's rounding elsewhere.</summary>
    private int[,]? FromHint(Allocation hint, double[,]? shares)
    {
        var byBucket = new Dictionary<(int Row, int Column), BucketAssignment>();
        foreach (var assignment in hint.Buckets)
        {
            byBucket.TryAdd((assignment.Row, assignment.Column), assignment);
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int j = 0; j < _types; j++)
        {
            index[_pools[j].Name] = j;
        }

        var taken = new int[_buckets.Count, _types];
        for (int b = 0; b < _buckets.Count; b++)
        {
            if (byBucket.TryGetValue((_buckets[b].Row, _buckets[b].Column), out var previous) && Fits(b, previous))
            {
                foreach (var (gpu, count) in previous.SlicesByGpu)
                {
                    taken[b, index[gpu]] += count;
                }
            }
            else if (shares is not null)
            {
                RoundBucket(b, shares, taken);
            }
            else
            {
                return null;
            }
        }

        return taken;

        bool Fits(int b, BucketAssignment previous) =>
            previous.SlicesByGpu.Values.Sum() == _slices &&
            previous.SlicesByGpu.All(kv => kv.Value >= 0 && index.TryGetValue(kv.Key, out int j) && (kv.Value == 0 || !double.IsNaN(_sliceLoad[b, j])));
    }

    /// <summary>Counts for the split, moved back within the limits, then replicas removed while slices can move.</summary>
    private HeuristicSolution? Improve(int[,] taken)
    {
        var load = new double[_types];
        for (int b = 0; b < _buckets.Count; b++)
        {
            for (int j = 0; j < _types; j++)
            {
                if (taken[b, j] > 0)
                {
                    load[j] += taken[b, j] * _sliceLoad[b, j];
                }
            }
        }

        // A type over its limit sheds slices to types that can grow (limits only; counts follow the loads).
        var growable = new int[_types];
        for (int j = 0; j < _types; j++)
        {
            growable[j] = _max[j];
        }

        for (int j = 0; j < _types; j++)
        {
            if (load[j] > Room(_max[j]) && !Move(j, _max[j], growable, taken, load))
            {
                return null;
            }
        }

        var counts = new int[_types];
        for (int j = 0; j < _types; j++)
        {
            counts[j] = Needed(j, load[j]);
        }

        for (int round = 0; round < MaxRounds && Step(counts, taken, load); round++)
        {
        }

        double cost = 0;
        for (int j = 0; j < _types; j++)
        {
            cost += counts[j] * _cost[j];
        }

        return new HeuristicSolution(counts, taken, cost);
    }

    /// <summary>One improving move: the first that lowers the cost, trying the dearest types first; false when none does.</summary>
    private bool Step(int[] counts, int[,] taken, double[] load)
    {
        var order = Enumerable.Range(0, _types).OrderByDescending(j => _cost[j]).ToArray();
        foreach (int j in order)
        {
            for (int drop = 1; drop <= 3 && counts[j] - drop >= _min[j]; drop++)
            {
                // Drop replicas of j, moving its slices into the others' spare room, with up to two more replicas of one other type if cheaper.
                if (TryMove(j, drop, -1, 0, counts, taken, load))
                {
                    return true;
                }

                for (int add = 1; add <= 2; add++)
                {
                    foreach (int k in order)
                    {
                        if (k != j && add * _cost[k] < drop * _cost[j] && (long)counts[k] + add <= _max[k] && TryMove(j, drop, k, add, counts, taken, load))
                        {
                            return true;
                        }
                    }
                }
            }
        }

        return false;
    }

    private bool TryMove(int j, int drop, int to, int add, int[] counts, int[,] taken, double[] load)
    {
        var trialCounts = (int[])counts.Clone();
        trialCounts[j] -= drop;
        if (to >= 0)
        {
            trialCounts[to] += add;
        }

        var trialTaken = (int[,])taken.Clone();
        var trialLoad = (double[])load.Clone();
        if (!Move(j, trialCounts[j], trialCounts, trialTaken, trialLoad))
        {
            return false;
        }

        for (int k = 0; k < _types; k++)
        {
            trialCounts[k] = Math.Max(_min[k], Math.Min(trialCounts[k], Needed(k, trialLoad[k])));
        }

        Array.Copy(trialCounts, counts, _types);
        Array.Copy(trialTaken, taken, taken.Length);
        Array.Copy(trialLoad, load, _types);
        return true;
    }

    /// <summary>
    /// Moves slices off type <paramref name="from"/> until its load fits <paramref name="target"/> replicas, each time the
    /// slice that frees the most of its load per unit it takes elsewhere, onto a type whose load stays within
    /// <paramref name="capacity"/>; false when they cannot all move.
    /// </summary>
    private bool Move(int from, int target, int[] capacity, int[,] taken, double[] load)
    {
        while (load[from] > Room(target))
        {
            int bucket = -1, to = -1;
            double bestRatio = double.PositiveInfinity;
            for (int b = 0; b < _buckets.Count; b++)
            {
                if (taken[b, from] == 0)
                {
                    continue;
                }

                for (int k = 0; k < _types; k++)
                {
                    if (k == from || double.IsNaN(_sliceLoad[b, k]) || load[k] + _sliceLoad[b, k] > Room(capacity[k]))
                    {
                        continue;
                    }

                    double ratio = _sliceLoad[b, k] / _sliceLoad[b, from];
                    if (ratio < bestRatio)
                    {
                        (bucket, to, bestRatio) = (b, k, ratio);
                    }
                }
            }

            if (bucket < 0)
            {
                return false;
            }

            taken[bucket, from]--;
            taken[bucket, to]++;
            load[from] -= _sliceLoad[bucket, from];
            load[to] += _sliceLoad[bucket, to];
        }

        return true;
    }

    private int Needed(int j, double load) => Math.Max(_min[j], (int)Math.Ceiling(load - (CapacityTolerance * Math.Max(1, load))));

    private static double Room(int count) => count == int.MaxValue ? double.PositiveInfinity : count + (CapacityTolerance * Math.Max(1, count));
}
