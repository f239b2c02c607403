namespace AIBrix.Controllers.PodAutoscalers;

/// <summary>Settings of the PodAutoscaler controller; every default is on its property.</summary>
public sealed record PodAutoscalerOptions
{
    /// <summary>The shortest interval <c>--autoscaler-interval</c> accepts.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    /// <summary>Namespaces to watch; empty = all.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>Each PodAutoscaler is scraped and decided this often (default 10 s, at least 1 s).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Limit on one scrape of a pod or an external endpoint (default 2 s; a slow pod is left out, not waited for).</summary>
    public TimeSpan ScrapeTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Parallel reconciles (default 4).</summary>
    public int Workers { get; init; } = 4;

    /// <summary>Clock of the windows, cooldowns and requeues.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Every problem with these options; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Interval < MinInterval)
        {
            errors.Add($"Interval must be at least {MinInterval.TotalSeconds:0} s (was {Interval}).");
        }

        if (ScrapeTimeout <= TimeSpan.Zero)
        {
            errors.Add($"ScrapeTimeout must be positive (was {ScrapeTimeout}).");
        }

        if (Workers < 1)
        {
            errors.Add($"Workers must be at least 1 (was {Workers}).");
        }

        return errors;
    }
}
