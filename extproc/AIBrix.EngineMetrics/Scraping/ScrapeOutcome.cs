namespace AIBrix.EngineMetrics;

/// <summary>The result of one scrape: metrics, or the reason it failed.</summary>
public sealed record ScrapeOutcome
{
    /// <summary>The endpoint scraped.</summary>
    public required string EndpointName { get; init; }

    /// <summary>Mapped metrics on success; null on failure.</summary>
    public EngineMetricsSnapshot? Metrics { get; init; }

    /// <summary>Why the scrape failed; null on success.</summary>
    public string? FailureReason { get; init; }

    /// <summary>When the scrape finished.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>How long the scrape took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Lines of the body skipped as malformed (a success may still have some).</summary>
    public int MalformedLines { get; init; }

    /// <summary>True when <see cref="Metrics"/> is set.</summary>
    public bool Succeeded => Metrics is not null;

    /// <summary>A failed scrape of <paramref name="endpointName"/>, with why.</summary>
    public static ScrapeOutcome Failure(string endpointName, string reason, DateTimeOffset at, TimeSpan duration) =>
        new() { EndpointName = endpointName, FailureReason = reason, At = at, Duration = duration };
}
