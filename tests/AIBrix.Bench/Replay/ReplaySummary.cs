using System.Text.Json;
using System.Text.Json.Serialization;

namespace AIBrix.Bench.Replay;

/// <summary>The JSON a replay prints with <c>--json</c> (snake_case names, latencies in ms).</summary>
public sealed record ReplaySummary
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string Mode { get; init; } = "";
    public string Trace { get; init; } = "";
    public string Policy { get; init; } = "";

    /// <summary>Gateway replicas the requests were spread over.</summary>
    public int Gateways { get; init; } = 1;

    public int Pods { get; init; }

    /// <summary>The engines' context length.</summary>
    public int MaxModelLen { get; init; }

    public double TimeScale { get; init; }
    public int Seed { get; init; }
    /// <summary>Requests that finished (refused and failed ones are counted apart).</summary>
    public int Requests { get; init; }

    /// <summary>Requests the engines refused with vLLM's 400 because they do not fit <see cref="MaxModelLen"/>.</summary>
    public int Rejected { get; init; }

    public int Errors { get; init; }
    public double DurationS { get; init; }
    public double TtftMeanMs { get; init; }
    public double TtftP50Ms { get; init; }
    public double TtftP90Ms { get; init; }
    public double TtftP99Ms { get; init; }
    public double TpotP50Ms { get; init; }
    public double TpotP90Ms { get; init; }
    public double E2eMeanMs { get; init; }
    public double E2eP50Ms { get; init; }
    public double E2eP99Ms { get; init; }
    public double ThroughputTokS { get; init; }

    /// <summary>Cached prompt tokens over prompt tokens looked up, from the engines' counters.</summary>
    public double PrefixHitRate { get; init; }

    public long Preemptions { get; init; }

    /// <summary>Requests routed to each pod.</summary>
    public int[] PodRequests { get; init; } = [];

    /// <summary>Busiest pod's request count over the mean (1 = perfectly even).</summary>
    public double PodLoadSpread { get; init; }

    /// <summary>The policy, with the replica count when more than one gateway routed.</summary>
    [JsonIgnore]
    public string Label => ReplayOptions.LabelOf(Policy, Gateways);

    /// <summary>One-line JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
