using AIBrix.Bench.Replay;
using AIBrix.GpuOptimizer;

namespace AIBrix.Bench.GpuOptimizer;

/// <summary>What <see cref="GpuProfiler"/> measures: the grid, the SLOs and how hard it searches.</summary>
internal sealed record ProfileSettings
{
    /// <summary>Served model name (on the requests; its architecture sizes the simulated engine).</summary>
    public required string Model { get; init; }

    /// <summary>AIBrix's <c>gpu</c>: the deployment that serves the model on this GPU type.</summary>
    public required string Deployment { get; init; }

    /// <summary>Output × input length buckets.</summary>
    public required BucketGrid Grid { get; init; }

    /// <summary>The targets every chosen rate meets.</summary>
    public required ProfileSlos Slos { get; init; }

    /// <summary>Requests per probe (one rate on one bucket).</summary>
    public int RequestsPerProbe { get; init; } = 100;

    /// <summary>Highest rate tried, req/s per replica.</summary>
    public double MaxRate { get; init; } = 256;

    /// <summary>Lowest rate worth reporting; a bucket that fails even there gets 0.</summary>
    public double MinRate { get; init; } = 1.0 / 64;

    /// <summary>The search stops when the rates that pass and fail are within this ratio.</summary>
    public double Precision { get; init; } = 1.1;

    /// <summary>Seed of the arrival times.</summary>
    public int Seed { get; init; }

    /// <summary>Default output lengths: 32 to 1024 tokens, powers of two.</summary>
    public static IReadOnlyList<double> DefaultOutputs { get; } = [32, 64, 128, 256, 512, 1024];

    /// <summary>Default input lengths: 128 to 16,384 tokens, powers of two.</summary>
    public static IReadOnlyList<double> DefaultInputs { get; } = [128, 256, 512, 1024, 2048, 4096, 8192, 16384];
}

/// <summary>
/// Profiles one GPU type in virtual time: for each (output, input) bucket, a Poisson stream of requests of exactly
/// those lengths at a trial rate is replayed on one simulated engine of that GPU (<see cref="VirtualReplay"/>, the
/// gateway's pipeline in front); the highest rate whose requests meet the SLOs is kept. The search doubles or halves
/// from 1 req/s to bracket the answer, then bisects in log space to <see cref="ProfileSettings.Precision"/>. Every
/// probe uses the same seeded inter-arrival gaps scaled by the rate, so rates compare on the same arrivals. A bucket
/// the engine refuses (longer than its context) or fails at <see cref="ProfileSettings.MinRate"/> gets 0.
/// </summary>
internal sealed class GpuProfiler(SimulatedGpu gpu, ProfileSettings settings, TimeProvider clock)
{
    // Enough arrivals for the longest probe a bucket needs (many lifetimes of a long request at a high rate).
    private readonly double[] _gaps = UnitGaps(settings.RequestsPerProbe * MaxProbeFactor, settings.Seed);

    /// <summary>A probe has at most this many times <see cref="ProfileSettings.RequestsPerProbe"/> arrivals.</summary>
    internal const int MaxProbeFactor = 30;

    /// <summary>Measures every bucket; <paramref name="progress"/> gets the fraction of buckets done.</summary>
    public GpuProfile Run(Action<double>? progress = null)
    {
        var grid = settings.Grid;
        var tputs = new double[grid.Rows][];
        var e2e = new double[grid.Rows][];
        var ttft = new double[grid.Rows][];
        for (int r = 0; r < grid.Rows; r++)
        {
            tputs[r] = new double[grid.Columns];
            e2e[r] = new double[grid.Columns];
            ttft[r] = new double[grid.Columns];
            for (int c = 0; c < grid.Columns; c++)
            {
                var (rate, at) = MaxRate((int)grid.InputTokens[c], (int)grid.OutputTokens[r]);
                tputs[r][c] = rate;
                e2e[r][c] = at is null ? 0 : SloCheck.Statistic(at.Select(l => l.E2eMs), 0) / 1000;
                ttft[r][c] = at is null ? 0 : SloCheck.Statistic(at.Select(l => l.TtftMs), 0) / 1000;
                progress?.Invoke((double)(r * grid.Columns + c + 1) / grid.Count);
            }
        }

        return new GpuProfile
        {
            Gpu = settings.Deployment,
            Cost = gpu.CostPerHour,
            Grid = grid,
            Tputs = BucketMatrix.FromRows(tputs),
            E2e = BucketMatrix.FromRows(e2e),
            Ttft = settings.Slos.Ttft is null ? null : BucketMatrix.FromRows(ttft),
            Slos = settings.Slos,
            Created = Math.Round(clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0, 3),
        };
    }

    /// <summary>The highest rate (req/s) meeting the SLOs for requests of these lengths, and the latencies there.</summary>
    public (double Rate, IReadOnlyList<RequestLatency>? Latencies) MaxRate(int inputTokens, int outputTokens)
    {
        // A lone request's latency sets how long a probe must run to reach a steady batch.
        if (LoneSeconds(inputTokens, outputTokens) is not { } loneSeconds)
        {
            return (0, null);
        }

        double pass = 0, fail = double.PositiveInfinity;
        IReadOnlyList<RequestLatency>? atPass = null;
        double rate = Math.Clamp(1, settings.MinRate, settings.MaxRate);
        while (true)
        {
            var latencies = Probe(inputTokens, outputTokens, rate, loneSeconds);
            if (latencies is not null)
            {
                (pass, atPass) = (rate, latencies);
            }
            else
            {
                fail = rate;
            }

            if (double.IsInfinity(fail))
            {
                if (rate >= settings.MaxRate)
                {
                    return (pass, atPass);
                }

                rate = Math.Min(rate * 2, settings.MaxRate);
            }
            else if (pass == 0)
            {
                if (rate <= settings.MinRate)
                {
                    return (0, null);
                }

                rate = Math.Max(rate / 2, settings.MinRate);
            }
            else if (fail / pass <= settings.Precision)
            {
                return (pass, atPass);
            }
            else
            {
                rate = Math.Sqrt(pass * fail);
            }
        }
    }

    /// <summary>End-to-end seconds of one request alone on the engine; null when the engine refuses it.</summary>
    internal double? LoneSeconds(int inputTokens, int outputTokens)
    {
        var lone = Replay(inputTokens, outputTokens, [new TraceRequest(0, inputTokens, outputTokens, BlockIds(0, inputTokens))]);
        return lone.Rejected > 0 || lone.Latencies.Count == 0 ? null : lone.Latencies[0].E2eMs / 1000;
    }

    /// <summary>
    /// One probe: requests arrive at <paramref name="rate"/> for at least <see cref="ProfileSettings.RequestsPerProbe"/>
    /// arrivals and at least <see cref="SteadyLifetimes"/> lone-request lifetimes, so the batch reaches its steady size;
    /// the requests arriving in the first quarter (the warm-up) are not judged. Returns the judged latencies when
    /// they meet the SLOs; null when they do not or the engine refused a request.
    /// </summary>
    internal List<RequestLatency>? Probe(int inputTokens, int outputTokens, double rate, double loneSeconds)
    {
        double duration = Math.Max(settings.RequestsPerProbe / rate, SteadyLifetimes * loneSeconds);
        int count = (int)Math.Min(Math.Ceiling(rate * duration), _gaps.Length);
        var trace = new List<TraceRequest>(count);
        double arrival = 0;
        for (int k = 0; k < count; k++)
        {
            arrival += _gaps[k] / rate;
            trace.Add(new TraceRequest(arrival, inputTokens, outputTokens, BlockIds(k, inputTokens)));
        }

        var result = Replay(inputTokens, outputTokens, trace);
        if (result.Rejected > 0)
        {
            return null;
        }

        double warmUp = arrival / 4;
        var judged = result.Latencies.Where(l => l.ArrivalSeconds >= warmUp).ToList();
        return SloCheck.Meets(settings.Slos, judged, inputTokens + outputTokens) ? judged : null;
    }

    /// <summary>How many lone-request lifetimes a probe lasts at least.</summary>
    internal const double SteadyLifetimes = 4;

    private ReplayResult Replay(int inputTokens, int outputTokens, IReadOnlyList<TraceRequest> trace)
    {
        var options = new ReplayOptions
        {
            TracePath = $"profile {gpu.Spec.Name} in {inputTokens} out {outputTokens}",
            Pods = 1,
            Fleet = [new FleetPod(settings.Deployment, gpu.Engine)],
            Model = settings.Model,
            Seed = settings.Seed,
            // One pod: routing has no choice, so the metrics it would scrape don't matter.
            ScrapeIntervalSeconds = 1,
            MaxModelLen = gpu.Engine.MaxModelLen,
        };
        return new VirtualReplay(options, trace).Run();
    }

    /// <summary>Fresh block ids per request: profiles measure prompts that share no prefix (the worst case).</summary>
    private static long[] BlockIds(int request, int inputTokens)
    {
        int blocks = (inputTokens + TraceRequest.BlockTokens - 1) / TraceRequest.BlockTokens;
        return [.. Enumerable.Range(0, blocks).Select(b => (long)request * blocks + b + 1)];
    }

    /// <summary>Exponential gaps with mean 1 (a Poisson stream at 1 req/s); a probe at rate r divides them by r.</summary>
    private static double[] UnitGaps(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => -Math.Log(1 - random.NextDouble()))];
    }
}
