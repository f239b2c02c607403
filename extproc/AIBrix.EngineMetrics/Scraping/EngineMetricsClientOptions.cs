namespace AIBrix.EngineMetrics;

/// <summary>Settings of <see cref="EngineMetricsClient"/>; every default is documented on its property.</summary>
public sealed record EngineMetricsClientOptions
{
    /// <summary>Limit on one scrape, connect to last byte; default 1 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest body accepted; default 4 MiB (a vLLM page is about 40 KB).</summary>
    public int MaxBodyBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Every problem with these options; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Timeout <= TimeSpan.Zero)
        {
            errors.Add($"Timeout must be positive (was {Timeout}).");
        }

        if (MaxBodyBytes < 1024)
        {
            errors.Add($"MaxBodyBytes must be at least 1024 (was {MaxBodyBytes}).");
        }

        return errors;
    }
}
