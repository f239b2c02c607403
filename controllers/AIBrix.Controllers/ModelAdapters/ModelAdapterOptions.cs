using AIBrix.Kubernetes.Runtime;

namespace AIBrix.Controllers.ModelAdapters;

/// <summary>Settings of the ModelAdapter controller; defaults follow AIBrix.</summary>
public sealed record ModelAdapterOptions
{
    /// <summary>Namespaces to watch; empty = all.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>Retries of a failing load before the adapter is marked Failed (default 5).</summary>
    public int MaxLoadAttempts { get; init; } = 5;

    /// <summary>Delay between load retries: 5 s doubling, capped at 60 s.</summary>
    public Backoff LoadRetry { get; init; } = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60));

    /// <summary>Every adapter is re-checked this often (catches engines that lost adapters without a pod event).</summary>
    public TimeSpan Resync { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Most adapters placed on one pod by this controller (vLLM's --max-loras is the real limit).</summary>
    public int MaxAdaptersPerPod { get; init; } = 1000;

    /// <summary>Parallel reconciles.</summary>
    public int Workers { get; init; } = 4;

    /// <summary>Clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Seed of the random policy; null = unseeded.</summary>
    public int? Seed { get; init; }
}
