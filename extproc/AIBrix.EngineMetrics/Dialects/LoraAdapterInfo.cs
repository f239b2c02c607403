namespace AIBrix.EngineMetrics;

/// <summary>
/// vLLM's <c>vllm:lora_requests_info</c> gauge: one sample per state the engine has been in, labelled with
/// comma-separated adapter lists; its value is the time of that state, so the largest value is the current one.
/// </summary>
public static class LoraAdapterInfo
{
    /// <summary>
    /// Reads the current state from <paramref name="sampleName"/> (e.g. <see cref="VllmNames.LoraInfo"/>): adapters with
    /// running and waiting requests, and the engine's <c>max_lora</c>. False (and empty lists) when the metric is absent.
    /// </summary>
    public static bool TryRead(
        MetricFamilySet set,
        string sampleName,
        out IReadOnlyList<string> running,
        out IReadOnlyList<string> waiting,
        out int? maxLoras)
    {
        running = [];
        waiting = [];
        maxLoras = null;
        if (!set.TryGetFamilyOfSample(sampleName, out var family))
        {
            return false;
        }

        int latest = -1;
        var samples = family.Samples;
        for (int i = 0; i < samples.Length; i++)
        {
            if (string.Equals(samples[i].Name, sampleName, StringComparison.Ordinal)
                && !double.IsNaN(samples[i].Value)
                && (latest < 0 || samples[i].Value > samples[latest].Value))
            {
                latest = i;
            }
        }

        if (latest < 0)
        {
            return false;
        }

        ref readonly var sample = ref samples[latest];
        running = SplitList(family.LabelValue(sample, "running_lora_adapters"));
        waiting = SplitList(family.LabelValue(sample, "waiting_lora_adapters"));
        maxLoras = int.TryParse(family.LabelValue(sample, "max_lora"), out int max) ? max : null;
        return true;
    }

    private static string[] SplitList(string? list) =>
        string.IsNullOrWhiteSpace(list)
            ? []
            : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
