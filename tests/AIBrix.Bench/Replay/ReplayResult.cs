namespace AIBrix.Bench.Replay;

/// <summary>What one replay measured, request by request, plus the fleet's load over time.</summary>
public sealed class ReplayResult
{
    /// <summary>The options the run used.</summary>
    public required ReplayOptions Options { get; init; }

    /// <summary>"virtual" or "gateway".</summary>
    public required string Mode { get; init; }

    /// <summary>Per finished request: time to first token, ms.</summary>
    public List<double> TtftMs { get; } = [];

    /// <summary>Per finished request: time per output token after the first, ms (requests with 2+ tokens).</summary>
    public List<double> TpotMs { get; } = [];

    /// <summary>Per finished request: end-to-end latency, ms.</summary>
    public List<double> E2eMs { get; } = [];

    /// <summary>Per finished request, in finishing order: its latencies together (virtual replays), for SLO checks.</summary>
    public List<RequestLatency> Latencies { get; } = [];

    /// <summary>Requests that failed (gateway mode: transport errors and unexpected statuses).</summary>
    public int Errors { get; set; }

    /// <summary>Requests the engines refused because they do not fit the context (vLLM's 400).</summary>
    public int Rejected { get; set; }

    /// <summary>What the first failed request got back (gateway mode), for the console.</summary>
    public string? FirstError { get; set; }

    /// <summary>Requests sent to each pod.</summary>
    public required int[] PodRequests { get; set; }

    /// <summary>Prompt tokens of the finished requests.</summary>
    public long PrefixQueryTokens { get; set; }

    /// <summary>Of those, tokens the engines served from their prefix cache at first admission.</summary>
    public long PrefixHitTokens { get; set; }

    /// <summary>Generated tokens.</summary>
    public long OutputTokens { get; set; }

    /// <summary>Preemptions across the fleet.</summary>
    public long Preemptions { get; set; }

    /// <summary>From the first arrival to the last answer, seconds (virtual or wall).</summary>
    public double DurationSeconds { get; set; }

    /// <summary>Requests in each pod (running + waiting) sampled over time.</summary>
    public List<(double Seconds, int[] Load)> Timeline { get; } = [];

    /// <summary>The headline numbers.</summary>
    public ReplaySummary Summarise()
    {
        double[] ttft = [.. TtftMs.Order()];
        double[] tpot = [.. TpotMs.Order()];
        double[] e2e = [.. E2eMs.Order()];
        double meanPod = PodRequests.Average();
        return new ReplaySummary
        {
            Mode = Mode,
            Trace = Path.GetFileName(Options.TracePath),
            Policy = Options.Policy,
            Gateways = Options.Gateways,
            Pods = Options.Pods,
            MaxModelLen = Options.MaxModelLen,
            TimeScale = Options.TimeScale,
            Seed = Options.Seed,
            Requests = E2eMs.Count,
            Rejected = Rejected,
            Errors = Errors,
            DurationS = Round(DurationSeconds),
            TtftMeanMs = Round(ttft.Length == 0 ? double.NaN : ttft.Average()),
            TtftP50Ms = Round(Stats.Percentile(ttft, 0.50)),
            TtftP90Ms = Round(Stats.Percentile(ttft, 0.90)),
            TtftP99Ms = Round(Stats.Percentile(ttft, 0.99)),
            TpotP50Ms = Round(Stats.Percentile(tpot, 0.50)),
            TpotP90Ms = Round(Stats.Percentile(tpot, 0.90)),
            E2eMeanMs = Round(e2e.Length == 0 ? double.NaN : e2e.Average()),
            E2eP50Ms = Round(Stats.Percentile(e2e, 0.50)),
            E2eP99Ms = Round(Stats.Percentile(e2e, 0.99)),
            ThroughputTokS = Round(DurationSeconds > 0 ? OutputTokens / DurationSeconds : 0),
            PrefixHitRate = PrefixQueryTokens == 0 ? 0 : Math.Round((double)PrefixHitTokens / PrefixQueryTokens, 4),
            Preemptions = Preemptions,
            PodRequests = PodRequests,
            PodLoadSpread = meanPod == 0 ? 0 : Math.Round(PodRequests.Max() / meanPod, 3),
        };
    }

    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 2) : 0;
}
