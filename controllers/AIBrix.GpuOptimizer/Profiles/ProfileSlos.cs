using System.Text.Json.Serialization;

namespace AIBrix.GpuOptimizer;

/// <summary>
/// The SLOs a profile was measured against (AIBrix's <c>slos</c> object): a request rate counts for a bucket only when
/// every set target held at <see cref="Percentile"/>. Latencies are in seconds; null means "not set".
/// </summary>
public sealed record ProfileSlos
{
    /// <summary>Percentile the latency targets apply to (50, 90, 99; 0 means the mean).</summary>
    [JsonPropertyName("percentile")]
    public int Percentile { get; init; }

    /// <summary>Least request throughput (requests per second).</summary>
    [JsonPropertyName("tput")]
    public double? Tput { get; init; }

    /// <summary>Least token throughput (tokens per second).</summary>
    [JsonPropertyName("tt")]
    public double? Tt { get; init; }

    /// <summary>Most end-to-end latency.</summary>
    [JsonPropertyName("e2e")]
    public double? E2e { get; init; }

    /// <summary>Most time to first token.</summary>
    [JsonPropertyName("ttft")]
    public double? Ttft { get; init; }

    /// <summary>Most time per token, prompt and output together (e2e / (input + output)).</summary>
    [JsonPropertyName("tpat")]
    public double? Tpat { get; init; }

    /// <summary>Most time per output token.</summary>
    [JsonPropertyName("tpot")]
    public double? Tpot { get; init; }

    /// <summary>Lists what is wrong, empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Percentile is < 0 or > 100)
        {
            errors.Add($"slos.percentile = {Percentile}: must be 0 (mean) or a percentile up to 100");
        }

        foreach (var (name, value) in new[] { ("tput", Tput), ("tt", Tt), ("e2e", E2e), ("ttft", Ttft), ("tpat", Tpat), ("tpot", Tpot) })
        {
            if (value is { } v && (double.IsNaN(v) || v <= 0))
            {
                errors.Add(FormattableString.Invariant($"slos.{name} = {v}: a target must be a positive number"));
            }
        }

        return errors;
    }
}
