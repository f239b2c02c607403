using AIBrix.Gateway.Core.Endpoints;

namespace AIBrix.Gateway.Core.Metrics;

/// <summary>One engine to scrape: the endpoint's name in the registry, its <c>/metrics</c> URI and its kind.</summary>
public sealed record ScrapeTarget(string EndpointName, Uri MetricsUri, EngineKind Engine);
