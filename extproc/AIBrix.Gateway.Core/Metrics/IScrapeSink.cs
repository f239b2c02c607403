using AIBrix.EngineMetrics;

namespace AIBrix.Gateway.Core.Metrics;

/// <summary>
/// Receives scrape results; the endpoint registry implements it. Calls for different endpoints may arrive
/// concurrently; calls for one endpoint never overlap.
/// </summary>
public interface IScrapeSink
{
    /// <summary>A scrape succeeded at <paramref name="at"/>.</summary>
    void OnScraped(string endpointName, EngineMetricsSnapshot metrics, DateTimeOffset at);

    /// <summary>A scrape failed; the endpoint's last metrics age towards stale, never towards idle.</summary>
    void OnScrapeFailed(string endpointName, string reason, DateTimeOffset at);
}
