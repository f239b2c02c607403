using AIBrix.EngineMetrics;

namespace AIBrix.Gateway.Core.Endpoints;

/// <summary>
/// What the gateway knows of an endpoint's health from its metrics scrapes. A pod that was never
/// scraped, or whose scrapes keep failing, is not ready: a missing signal is never read as idle.
/// </summary>
/// <param name="Ready">May receive new requests.</param>
/// <param name="Metrics">The latest metrics (kept after a failure so the last known state shows in debug output).</param>
/// <param name="LastSuccess">Time of the latest successful scrape.</param>
/// <param name="LastError">Reason of the latest failure, cleared by a success.</param>
/// <param name="ConsecutiveFailures">Failures since the last success.</param>
public sealed record EndpointHealth(
    bool Ready,
    EngineMetricsSnapshot? Metrics,
    DateTimeOffset? LastSuccess,
    string? LastError,
    int ConsecutiveFailures)
{
    /// <summary>Before the first scrape.</summary>
    public static EndpointHealth Initial { get; } = new(false, null, null, "not scraped yet", 0);

    /// <summary>True when metrics exist but are older than <paramref name="staleAfter"/> at <paramref name="now"/>.</summary>
    public bool IsStale(DateTimeOffset now, TimeSpan staleAfter) =>
        LastSuccess is null || now - LastSuccess.Value > staleAfter;
}
