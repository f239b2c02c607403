using System.Text.Json;
using System.Text.Json.Serialization;
using AIBrix.Bench.Autoscaling.ColdStart;
using AIBrix.Bench.Replay;

namespace AIBrix.Bench.Autoscaling;

/// <summary>The JSON <c>autoscale --json</c> prints (snake_case, latencies in ms, times in virtual seconds).</summary>
public sealed record AutoscaleSummary
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string Trace { get; init; } = "";
    public string Autoscaler { get; init; } = "";
    public string Metric { get; init; } = "";
    public double Target { get; init; }
    public int Min { get; init; }
    public int Max { get; init; }
    public double IntervalS { get; init; }
    public double PodStartupS { get; init; }
    public double ScrapeDelayS { get; init; }
    public string Policy { get; init; } = "";
    public double TimeScale { get; init; }
    public int Seed { get; init; }

    /// <summary>The <c>--set</c> settings, as given.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Decisions that changed the desired replica count.</summary>
    public int ScaleEvents { get; init; }

    /// <summary>Changes opposite to the one before (the oscillations).</summary>
    public int DirectionReversals { get; init; }

    /// <summary>Provisioned pod time, starting and draining pods included.</summary>
    public double PodSeconds { get; init; }

    /// <summary>Pod-seconds over the run's duration.</summary>
    public double MeanPods { get; init; }

    public int PeakPods { get; init; }
    public double TtftP50Ms { get; init; }
    public double TtftP90Ms { get; init; }
    public double TtftP99Ms { get; init; }
    public double E2eP50Ms { get; init; }
    public double E2eP99Ms { get; init; }
    public double ThroughputTokS { get; init; }
    public double DurationS { get; init; }

    /// <summary>Requests that finished.</summary>
    public int Requests { get; init; }

    /// <summary>Requests that did not finish: refused by the engines (longer than the context) or failed.</summary>
    public int Failed { get; init; }

    /// <summary>The cold-start model's figures; absent without <c>--startup-model</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ColdStartSummary? ColdStart { get; init; }

    /// <summary>At each decision: virtual seconds, the desired count, the ready pods.</summary>
    public IReadOnlyList<ReplicaPoint> Replicas { get; init; } = [];

    /// <summary>
    /// The cold-start figures: whether the hint placed pods, pods started by the tier their node held the model in,
    /// and seconds from the first scale-up until <c>--max</c> pods were ready (null when never).
    /// </summary>
    public sealed record ColdStartSummary(bool PlacementHint, int Nodes, int StartedFromMemory, int StartedFromDisk, int StartedFromRemote, double? SecondsUntilMaxReady);

    /// <summary>One point of the replica series.</summary>
    public sealed record ReplicaPoint(double T, int Desired, int Ready);

    /// <summary>The summary of <paramref name="result"/>.</summary>
    public static AutoscaleSummary Of(AutoscaleResult result)
    {
        var o = result.Options;
        var s = result.Replay.Summarise();
        var fleet = result.Fleet;
        return new AutoscaleSummary
        {
            Trace = Path.GetFileName(o.Replay.TracePath),
            Autoscaler = o.Autoscaler.ToLowerInvariant(),
            Metric = ScalingMetrics.TryGet(o.Metric, out string metric, out _) ? metric : o.Metric,
            Target = o.TargetValue,
            Min = o.Min,
            Max = o.Max,
            IntervalS = o.IntervalSeconds,
            PodStartupS = o.PodStartupSeconds,
            ScrapeDelayS = o.ScrapeDelaySeconds,
            Policy = o.Replay.Policy,
            TimeScale = o.Replay.TimeScale,
            Seed = o.Replay.Seed,
            Settings = o.Settings,
            ScaleEvents = fleet.ScaleEvents,
            DirectionReversals = fleet.DirectionReversals,
            PodSeconds = Math.Round(fleet.PodSeconds, 1),
            MeanPods = s.DurationS > 0 ? Math.Round(fleet.PodSeconds / s.DurationS, 2) : 0,
            PeakPods = fleet.PeakPods,
            TtftP50Ms = s.TtftP50Ms,
            TtftP90Ms = s.TtftP90Ms,
            TtftP99Ms = s.TtftP99Ms,
            E2eP50Ms = s.E2eP50Ms,
            E2eP99Ms = s.E2eP99Ms,
            ThroughputTokS = s.ThroughputTokS,
            DurationS = s.DurationS,
            Requests = s.Requests,
            Failed = s.Rejected + s.Errors,
            ColdStart = result.ColdStart is { } cold
                ? new ColdStartSummary(o.ColdStart!.PlacementHint, o.ColdStart.Nodes, cold.Pool.PlacedOn(ArtifactTier.Memory), cold.Pool.PlacedOn(ArtifactTier.Disk),
                    cold.Pool.PlacedOn(ArtifactTier.Remote), cold.SecondsUntilReady(o.Max, o.Min) is { } t ? Math.Round(t, 1) : null)
                : null,
            Replicas = [.. fleet.Replicas.Select(r => new ReplicaPoint(Math.Round(r.Seconds, 3), r.Desired, r.Ready))],
        };
    }

    /// <summary>One-line JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
