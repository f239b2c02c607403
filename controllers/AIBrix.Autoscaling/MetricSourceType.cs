namespace AIBrix.Autoscaling;

/// <summary>Where a metric comes from (<c>metricsSources[].metricSourceType</c>).</summary>
public enum MetricSourceType
{
    /// <summary>Scraped from each ready pod's metrics endpoint: one value per pod.</summary>
    Pod,

    /// <summary>CPU or memory from metrics.k8s.io: one value per pod.</summary>
    Resource,

    /// <summary>From custom.metrics.k8s.io: one value per pod.</summary>
    Custom,

    /// <summary>One value for the whole target from an HTTP endpoint or external.metrics.k8s.io.</summary>
    External,
}

/// <summary>The wire names of <see cref="MetricSourceType"/>.</summary>
public static class MetricSourceTypes
{
    /// <summary>AIBrix's deprecated name for <c>external</c>, still read so old manifests apply.</summary>
    public const string DeprecatedDomain = "domain";

    /// <summary>Every current name, as the CRD spells it.</summary>
    public static readonly IReadOnlyList<string> Names = ["pod", "resource", "custom", "external"];

    /// <summary>The CRD name of <paramref name="source"/>.</summary>
    public static string Name(MetricSourceType source) => source switch
    {
        MetricSourceType.Pod => "pod",
        MetricSourceType.Resource => "resource",
        MetricSourceType.Custom => "custom",
        _ => "external",
    };

    /// <summary>Reads a source type; <c>domain</c> reads as <see cref="MetricSourceType.External"/>.</summary>
    public static bool TryParse(string? name, out MetricSourceType source)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "pod":
                source = MetricSourceType.Pod;
                return true;
            case "resource":
                source = MetricSourceType.Resource;
                return true;
            case "custom":
                source = MetricSourceType.Custom;
                return true;
            case "external":
            case DeprecatedDomain:
                source = MetricSourceType.External;
                return true;
            default:
                source = default;
                return false;
        }
    }
}
