using System.Text.Json;
using System.Text.Json.Serialization;

namespace AIBrix.EngineSim;

/// <summary>
/// The cost model of one engine step (one forward pass of a continuous batch):
/// <c>step = overhead + prefill·(prefill tokens in step) + decode·(decode sequences) + attention·(context tokens attended)</c>.
/// </summary>
/// <remarks>
/// Defaults model a 7–8B dense model (Llama-3.1-8B, bf16) on one H100 80GB. Source: the reference latencies the
/// team uses for llm-d-inference-sim style simulators (about 25–40 ms base TTFT, 0.15–0.30 ms per uncached prompt
/// token, 10–15 ms per output token at low batch); they were not re-measured here. With these defaults a lone
/// decode step costs ~12 ms, a 100-token prompt's TTFT ~27 ms and a 10,000-token prompt's ~1.5 s.
/// Other GPUs are a profile file away, or derived from their specifications with <see cref="RooflineStepTime"/>
/// (<c>--gpu</c>; see docs/enginesim.md).
/// </remarks>
public sealed record StepTimeProfile : IStepTimeModel
{
    /// <summary>Name shown in logs and docs.</summary>
    public string Name { get; init; } = "h100-llama-3.1-8b";

    /// <summary>Fixed cost of every step in milliseconds (kernel launch, sampling, scheduler).</summary>
    public double StepOverheadMs { get; init; } = 12.0;

    /// <summary>Milliseconds per uncached prompt token computed in the step.</summary>
    public double PrefillMsPerToken { get; init; } = 0.15;

    /// <summary>Milliseconds per sequence that decodes one token in the step.</summary>
    public double DecodeMsPerSequence { get; init; } = 0.1;

    /// <summary>Milliseconds per 1,000 context tokens attended by the scheduled sequences (KV reads).</summary>
    public double AttentionMsPerThousandContextTokens { get; init; } = 0.1;

    /// <summary>Optional KV-cache capacity in 16-token blocks for this GPU; overrides the default when set.</summary>
    public int? NumGpuBlocks { get; init; }

    /// <summary>The default H100 / 8B profile.</summary>
    public static StepTimeProfile H100Llama8B { get; } = new();

    /// <inheritdoc />
    public double StepSeconds(in StepWork work) => StepSeconds(work.PrefillTokens, work.DecodeSequences, work.ContextTokens);

    /// <summary>Duration of one step in seconds.</summary>
    public double StepSeconds(int prefillTokens, int decodeSequences, long contextTokens) =>
        (StepOverheadMs
         + PrefillMsPerToken * prefillTokens
         + DecodeMsPerSequence * decodeSequences
         + AttentionMsPerThousandContextTokens * contextTokens / 1000.0) / 1000.0;

    /// <summary>Reads a profile from JSON (camelCase property names, unknown ones rejected).</summary>
    public static StepTimeProfile FromJson(string json) =>
        JsonSerializer.Deserialize(json, ProfileJsonContext.Default.StepTimeProfile)
        ?? throw new JsonException("profile file is empty");

    /// <inheritdoc />
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (StepOverheadMs < 0 || PrefillMsPerToken < 0 || DecodeMsPerSequence < 0 || AttentionMsPerThousandContextTokens < 0)
        {
            errors.Add("profile: step-time coefficients must be >= 0");
        }

        if (StepOverheadMs + PrefillMsPerToken + DecodeMsPerSequence <= 0)
        {
            errors.Add("profile: a step must take some time (overhead, prefill or decode > 0)");
        }

        if (NumGpuBlocks is <= 0)
        {
            errors.Add("profile: numGpuBlocks must be > 0");
        }

        return errors;
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(StepTimeProfile))]
internal sealed partial class ProfileJsonContext : JsonSerializerContext;
