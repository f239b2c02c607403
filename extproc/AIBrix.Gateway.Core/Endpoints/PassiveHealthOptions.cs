namespace AIBrix.Gateway.Core.Endpoints;

/// <summary>
/// Passive health: endpoints that fail requests before answering are ejected for a while, without
/// waiting for their metrics scrape to fail (a pod can serve /metrics while refusing work).
/// </summary>
public sealed record PassiveHealthOptions
{
    /// <summary>Failures in a row before ejection (default 3).</summary>
    public int EjectAfterFailures { get; init; } = 3;

    /// <summary>How long an ejected endpoint gets no new requests (default 10 s).</summary>
    public TimeSpan CoolDown { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Extra attempts on another endpoint when one fails before answering (default 1).</summary>
    public int Retries { get; init; } = 1;
}
