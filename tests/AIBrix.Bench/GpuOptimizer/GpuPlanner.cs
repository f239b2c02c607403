using AIBrix.Bench.Replay;
using AIBrix.GpuOptimizer;

namespace AIBrix.Bench.GpuOptimizer;

/// <summary>A GPU type offered to the planner: its simulated engine and its profile.</summary>
internal sealed record PlanGpu(SimulatedGpu Gpu, GpuProfile Profile)
{
    public string Name => Gpu.Spec.Name;
}

/// <summary>
/// Plans a fleet for a workload the way the optimizer would, then checks the plan: the workload's mean rate per
/// bucket (<see cref="LoadHistogram.FromRequests"/>) is solved by <see cref="MelangeSolver"/> for each GPU type alone
/// and for all together, and each plan is replayed in virtual time on a fleet of those simulated engines behind the
/// gateway's routing (<see cref="VirtualReplay"/>), counting the requests that meet every SLO.
/// </summary>
internal sealed class GpuPlanner(IReadOnlyList<PlanGpu> gpus, ProfileSlos slos, string model, string policy, int seed)
{
    private readonly MelangeSolver _solver = new(new SolverOptions { TimeLimit = TimeSpan.FromSeconds(30), RelativeGap = 0 });   // a plan is made once: exact

    /// <summary>Attainment a plan needs to count as meeting the SLOs.</summary>
    public double TargetAttainment { get; init; } = 0.99;

    /// <summary>The load is multiplied by this before solving (room for bursts above the mean), for every plan alike.</summary>
    public double Headroom { get; init; } = 1;

    /// <summary>Arrivals are divided by this (as <c>replay --time-scale</c>).</summary>
    public double TimeScale { get; init; } = 1;

    /// <summary>Plans and replays; <paramref name="log"/> gets a line per step.</summary>
    public GpuPlanReport Run(string workload, IReadOnlyList<TraceRequest> trace, Action<string>? log = null)
    {
        var load = Load(trace);
        var homogeneous = new Dictionary<string, HomogeneousPlan>(StringComparer.OrdinalIgnoreCase);
        foreach (var gpu in gpus)
        {
            var solved = _solver.Solve(new AllocationProblem(load, [new GpuPool(gpu.Profile)]));
            if (solved.Allocation is not { } allocation)
            {
                homogeneous[gpu.Name] = new HomogeneousPlan { Error = solved.Error!.Message };
                log?.Invoke($"{gpu.Name} alone: {solved.Error.Message}");
                continue;
            }

            var outcome = Replay(workload, trace, allocation);
            homogeneous[gpu.Name] = new HomogeneousPlan
            {
                Count = outcome.Allocation[gpu.Name], CostPerHour = outcome.CostPerHour, SloAttainment = outcome.SloAttainment,
            };
            log?.Invoke($"{gpu.Name} alone: {Describe(outcome)}");
        }

        PlanOutcome? mix = null;
        var mixed = _solver.Solve(new AllocationProblem(load, [.. gpus.Select(g => new GpuPool(g.Profile))]));
        if (mixed.Allocation is { } mixAllocation)
        {
            mix = Replay(workload, trace, mixAllocation);
            log?.Invoke($"mix: {Describe(mix)}");
        }
        else
        {
            log?.Invoke($"mix: {mixed.Error!.Message}");
        }

        var baseline = homogeneous
            .Where(h => h.Value.SloAttainment >= TargetAttainment)
            .OrderBy(h => h.Value.CostPerHour)
            .Select(h => (KeyValuePair<string, HomogeneousPlan>?)h)
            .FirstOrDefault();
        double span = Span(trace);
        return new GpuPlanReport
        {
            Workload = workload,
            Requests = trace.Count,
            RatePerSecond = Math.Round(span > 0 ? trace.Count / span : 0, 3),
            TargetAttainment = TargetAttainment,
            Homogeneous = homogeneous,
            Heterogeneous = mix,
            Baseline = baseline?.Key,
            SavingPct = baseline is { } b && mix is not null
                ? Math.Round(100 * (1 - mix.CostPerHour / b.Value.CostPerHour!.Value), 2)
                : null,
        };
    }

    /// <summary>The workload's mean rate per bucket over its span (arrivals scaled by <see cref="TimeScale"/>).</summary>
    public LoadHistogram Load(IReadOnlyList<TraceRequest> trace)
    {
        double span = Span(trace);
        var grid = gpus[0].Profile.Grid;
        var mean = LoadHistogram.FromRequests(grid, trace.Select(r => (r.InputTokens, r.OutputTokens)), TimeSpan.FromSeconds(Math.Max(span, 1e-3)));
        return new LoadHistogram(grid, BucketMatrix.Create(grid.Rows, grid.Columns, (r, c) => mean.Rates[r, c] * Headroom));
    }

    /// <summary>Replays the trace on the fleet <paramref name="allocation"/> describes and scores it.</summary>
    public PlanOutcome Replay(string workload, IReadOnlyList<TraceRequest> trace, Allocation allocation)
    {
        var fleet = new List<FleetPod>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        double cost = 0;
        foreach (var gpu in gpus)
        {
            int replicas = allocation.ReplicasOf(gpu.Profile.Gpu);
            if (replicas == 0 && !allocation.Replicas.ContainsKey(gpu.Profile.Gpu))
            {
                continue;
            }

            counts[gpu.Name] = replicas;
            cost += replicas * gpu.Gpu.CostPerHour;
            for (int i = 0; i < replicas; i++)
            {
                fleet.Add(new FleetPod($"{gpu.Name.ToLowerInvariant()}-{i}", gpu.Gpu.Engine));
            }
        }

        if (fleet.Count == 0)
        {
            return new PlanOutcome { Allocation = counts, CostPerHour = 0, SloAttainment = trace.Count == 0 ? 1 : 0, Requests = trace.Count, TtftMs = 0, TpotMs = 0 };
        }

        var prefixes = gpus.ToDictionary(g => g.Profile.Gpu, g => g.Name.ToLowerInvariant() + "-", StringComparer.Ordinal);
        var grid = gpus[0].Profile.Grid;
        var options = new ReplayOptions
        {
            CustomPolicy = random => new GpuSplitRoutingPolicy(grid, allocation, prefixes, random),
            TracePath = workload,
            Pods = fleet.Count,
            Fleet = fleet,
            Policy = policy,
            Seed = seed,
            Model = model,
            TimeScale = TimeScale,
            MaxModelLen = fleet.Max(p => p.Engine.MaxModelLen),
        };
        var result = new VirtualReplay(options, trace).Run();
        int met = result.Latencies.Count(l => SloCheck.Meets(slos, l));
        int all = result.Latencies.Count + result.Rejected + result.Errors;
        return new PlanOutcome
        {
            Allocation = counts,
            CostPerHour = Math.Round(cost, 4),
            SloAttainment = all == 0 ? 1 : Math.Round((double)met / all, 4),
            Requests = all,
            TtftMs = Math.Round(SloCheck.Statistic(result.Latencies.Select(l => l.TtftMs), slos.Percentile), 1),
            TpotMs = Math.Round(SloCheck.Statistic(result.Latencies.Select(l => l.TpotMs), slos.Percentile), 1),
        };
    }

    private double Span(IReadOnlyList<TraceRequest> trace) =>
        trace.Count < 2 ? 0 : (trace[^1].ArrivalSeconds - trace[0].ArrivalSeconds) / TimeScale;

    private static string Describe(PlanOutcome o) => FormattableString.Invariant(
        $"{string.Join(" + ", o.Allocation.Select(a => $"{a.Value} {a.Key}"))}, {o.CostPerHour:0.##}/h, SLO attainment {o.SloAttainment:P2} (TTFT {o.TtftMs:0} ms, TPOT {o.TpotMs:0.#} ms at the SLO percentile)");
}
