using System.Text.Json.Serialization;

namespace AIBrix.GpuOptimizer;

/// <summary>The JSON shape of a profile, every field optional so that missing ones become validation errors, not exceptions.</summary>
internal sealed class GpuProfileWire
{
    [JsonPropertyName("gpu")]
    public string? Gpu { get; set; }

    [JsonPropertyName("cost")]
    public double? Cost { get; set; }

    [JsonPropertyName("tputs")]
    public double[][]? Tputs { get; set; }

    [JsonPropertyName("indexes")]
    public double[][]? Indexes { get; set; }

    [JsonPropertyName("created")]
    public double? Created { get; set; }

    [JsonPropertyName("e2e")]
    public double[][]? E2e { get; set; }

    [JsonPropertyName("ttft")]
    public double[][]? Ttft { get; set; }

    [JsonPropertyName("slos")]
    public ProfileSlos? Slos { get; set; }
}

// Unknown fields are ignored: AIBrix adds fields over time and a reader must keep working.
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(GpuProfileWire))]
[JsonSerializable(typeof(GpuProfileWire[]))]
internal sealed partial class GpuProfileJsonContext : JsonSerializerContext;
