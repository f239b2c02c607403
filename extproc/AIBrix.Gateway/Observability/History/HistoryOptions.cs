namespace AIBrix.Gateway.Observability.History;

/// <summary>
/// The operator page's short history: <see cref="Buckets"/> buckets of <see cref="BucketSeconds"/> each
/// (15 minutes of 5 s by default), kept in rings allocated once. Every per-bucket breakdown is capped
/// (<see cref="MaxKeysPerBucket"/>, <see cref="MaxUsersPerBucket"/>, <see cref="MaxEndpoints"/>), and what
/// does not fit is counted under <see cref="Other"/>, so memory is fixed whatever the traffic. Prometheus
/// stays the source for anything longer.
/// </summary>
internal sealed record HistoryOptions
{
    /// <summary>The key that collects what a full breakdown cannot hold.</summary>
    public const string Other = "(other)";

    /// <summary>Width of one bucket, seconds (default 5).</summary>
    public int BucketSeconds { get; init; } = 5;

    /// <summary>Buckets kept (default 180: 15 minutes of 5 s).</summary>
    public int Buckets { get; init; } = 180;

    /// <summary>Distinct status codes, fallback reasons, or (user, kind) refusals per bucket (default 32).</summary>
    public int MaxKeysPerBucket { get; init; } = 32;

    /// <summary>Distinct users whose usage a bucket keeps (default 256).</summary>
    public int MaxUsersPerBucket { get; init; } = 256;

    /// <summary>Endpoints with a series (default 4,096); more are listed by /debug/endpoints but not charted.</summary>
    public int MaxEndpoints { get; init; } = 4096;

    /// <summary>The window the page shows, as a duration.</summary>
    public TimeSpan Window => TimeSpan.FromSeconds(BucketSeconds * Buckets);
}
