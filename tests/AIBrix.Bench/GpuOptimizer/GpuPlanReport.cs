using System.Text.Json;
using System.Text.Json.Serialization;

namespace AIBrix.Bench.GpuOptimizer;

/// <summary>One plan replayed: its replicas, its cost and the share of requests that met the SLOs.</summary>
internal sealed record PlanOutcome
{
    /// <summary>Replicas per GPU type (the key is the GPU name, e.g. <c>A10</c>).</summary>
    [JsonPropertyName("allocation")]
    public required IReadOnlyDictionary<string, int> Allocation { get; init; }

    /// <summary>Σ replicas × price per hour.</summary>
    [JsonPropertyName("cost_per_hour")]
    public required double CostPerHour { get; init; }

    /// <summary>Requests meeting every SLO ÷ all requests (refused ones count as missed).</summary>
    [JsonPropertyName("slo_attainment")]
    public required double SloAttainment { get; init; }

    /// <summary>Requests replayed.</summary>
    [JsonPropertyName("requests")]
    public required int Requests { get; init; }

    /// <summary>TTFT at the SLO percentile, ms.</summary>
    [JsonPropertyName("ttft_ms")]
    public required double TtftMs { get; init; }

    /// <summary>TPOT at the SLO percentile, ms.</summary>
    [JsonPropertyName("tpot_ms")]
    public required double TpotMs { get; init; }
}

/// <summary>One GPU type alone: the count the optimizer chose (or why none), and how that plan did.</summary>
internal sealed record HomogeneousPlan
{
    /// <summary>Replicas; null when the type cannot serve the workload within the SLOs.</summary>
    [JsonPropertyName("count")]
    public int? Count { get; init; }

    /// <summary>Cost per hour; null without a plan.</summary>
    [JsonPropertyName("cost_per_hour")]
    public double? CostPerHour { get; init; }

    /// <summary>SLO attainment of the replay; null without a plan.</summary>
    [JsonPropertyName("slo_attainment")]
    public double? SloAttainment { get; init; }

    /// <summary>Why there is no plan (the optimizer's message); null when there is one.</summary>
    [JsonPropertyName("error")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }
}

/// <summary>What <c>gpu-plan</c> prints: every plan, and the mix's saving over the cheapest single type that meets the SLOs.</summary>
internal sealed record GpuPlanReport
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>The workload, its request count and its mean rate.</summary>
    [JsonPropertyName("workload")]
    public required string Workload { get; init; }

    [JsonPropertyName("requests")]
    public required int Requests { get; init; }

    [JsonPropertyName("rate_per_s")]
    public required double RatePerSecond { get; init; }

    /// <summary>The attainment a plan needs to count as meeting the SLOs.</summary>
    [JsonPropertyName("target_attainment")]
    public required double TargetAttainment { get; init; }

    /// <summary>Each GPU type alone, by GPU name.</summary>
    [JsonPropertyName("homogeneous")]
    public required IReadOnlyDictionary<string, HomogeneousPlan> Homogeneous { get; init; }

    /// <summary>The optimizer's mix; null when the mix is infeasible.</summary>
    [JsonPropertyName("heterogeneous")]
    public PlanOutcome? Heterogeneous { get; init; }

    /// <summary>The mix's cost saving in percent against the cheapest homogeneous plan that meets the target; null when either is missing.</summary>
    [JsonPropertyName("saving_pct")]
    public double? SavingPct { get; init; }

    /// <summary>The homogeneous plan the saving is measured against.</summary>
    [JsonPropertyName("baseline")]
    public string? Baseline { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
