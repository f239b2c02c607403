namespace AIBrix.Gateway.Core.Endpoints;

/// <summary>How scrape results turn into readiness.</summary>
public sealed record EndpointRegistryOptions
{
    /// <summary>
    /// Failed scrapes in a row before an endpoint stops receiving requests. Default 2: one lost
    /// scrape at a 50 ms interval is noise, two in a row is a pod in trouble.
    /// </summary>
    public int FailuresBeforeUnready { get; init; } = 2;

    /// <summary>
    /// Treat endpoints as ready without any scrape (for engines that expose no metrics). Off by
    /// default: a pod we know nothing about is not a pod we call idle.
    /// </summary>
    public bool AssumeReadyWithoutMetrics { get; init; }
}
