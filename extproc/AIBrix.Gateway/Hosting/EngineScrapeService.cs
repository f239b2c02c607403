using AIBrix.EngineMetrics;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Metrics;
using AIBrix.Gateway.Observability;
using AIBrix.Gateway.Observability.History;

namespace AIBrix.Gateway.Hosting;

/// <summary>Scrapes every endpoint's engine metrics on the configured interval and feeds the registry.</summary>
internal sealed class EngineScrapeService(
    EngineMetricsScraper scraper,
    EndpointRegistry registry,
    GatewayMetrics metrics,
    EndpointHistory history) : BackgroundService, IScrapeSink
{
    private IReadOnlyList<ScrapeTarget> _targets = [];
    private EndpointSnapshot? _targetsFor;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => scraper.RunAsync(Targets, this, stoppingToken);

    public void OnScraped(string endpointName, EngineMetricsSnapshot engineMetrics, DateTimeOffset at) =>
        registry.OnScraped(endpointName, engineMetrics, at);

    public void OnScrapeFailed(string endpointName, string reason, DateTimeOffset at)
    {
        metrics.OnScrapeFailed(endpointName);
        history.OnScrapeFailed(endpointName);
        registry.OnScrapeFailed(endpointName, reason, at);
    }

    // The target list changes only when the endpoint set does; rebuilt lazily per snapshot.
    private IReadOnlyList<ScrapeTarget> Targets()
    {
        var snapshot = registry.Current;
        if (!ReferenceEquals(snapshot, _targetsFor))
        {
            _targets = snapshot.All.Select(e => new ScrapeTarget(e.Name, e.Spec.MetricsUri, e.Engine)).ToArray();
            _targetsFor = snapshot;
        }

        return _targets;
    }
}
