using AIBrix.EngineMetrics;

namespace AIBrix.Gateway.Core.Metrics;

/// <summary>Settings of <see cref="EngineMetricsScraper"/>; every default is documented on its property.</summary>
public sealed record ScrapeOptions
{
    /// <summary>Time between scrape rounds; default <see cref="GatewayDefaults.ScrapeInterval"/> (50 ms).</summary>
    public TimeSpan Interval { get; init; } = GatewayDefaults.ScrapeInterval;

    /// <summary>Limit on one scrape, connect to last byte; default 1 s. A target still in flight skips rounds.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Scrapes running at once across all targets; default 16 (two cores, parsing is CPU work).</summary>
    public int MaxConcurrency { get; init; } = 16;

    /// <summary>Largest body accepted; default 4 MiB (a vLLM page is about 40 KB).</summary>
    public int MaxBodyBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// Age after which the registry should treat an endpoint's metrics as stale. Null (the default) means
    /// <see cref="EffectiveStaleAfter"/>: three intervals, but never less than one timeout, so a single slow
    /// scrape still in flight does not flip a healthy pod to stale (1 s with the defaults).
    /// </summary>
    public TimeSpan? StaleAfter { get; init; }

    /// <summary><see cref="StaleAfter"/> or its default, max(3 × <see cref="Interval"/>, <see cref="Timeout"/>).</summary>
    public TimeSpan EffectiveStaleAfter => StaleAfter ?? TimeSpan.FromTicks(Math.Max(Interval.Ticks * 3, Timeout.Ticks));

    /// <summary>The settings of each single scrape (<see cref="Timeout"/>, <see cref="MaxBodyBytes"/>).</summary>
    public EngineMetricsClientOptions Client => new() { Timeout = Timeout, MaxBodyBytes = MaxBodyBytes };

    /// <summary>Every problem with these options; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Interval <= TimeSpan.Zero)
        {
            errors.Add($"Interval must be positive (was {Interval}).");
        }

        errors.AddRange(Client.Validate());
        if (MaxConcurrency < 1)
        {
            errors.Add($"MaxConcurrency must be at least 1 (was {MaxConcurrency}).");
        }

        if (StaleAfter is { } stale && stale <= TimeSpan.Zero)
        {
            errors.Add($"StaleAfter must be positive when set (was {stale}).");
        }

        return errors;
    }
}
