namespace AIBrix.EngineMetrics;

/// <summary>The sample names of one histogram family, built once so lookups do not concatenate per scrape.</summary>
public sealed record HistogramNames(string Family)
{
    public string Bucket { get; } = Family + "_bucket";

    public string Sum { get; } = Family + "_sum";

    public string Count { get; } = Family + "_count";
}
