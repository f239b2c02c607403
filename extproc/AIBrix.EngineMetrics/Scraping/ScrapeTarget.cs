namespace AIBrix.EngineMetrics;

/// <summary>One engine to scrape: a name the caller knows it by (the gateway: the endpoint name), its <c>/metrics</c> URI and its kind.</summary>
public sealed record ScrapeTarget(string EndpointName, Uri MetricsUri, EngineKind Engine);
