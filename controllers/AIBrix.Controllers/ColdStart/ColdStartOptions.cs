namespace AIBrix.Controllers.ColdStart;

/// <summary>Settings of the cold-start controller (docs/runtime-coldstart.md).</summary>
public sealed record ColdStartOptions
{
    /// <summary>Namespaces whose model pods are polled; empty = all.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>Between two polls of every runtime's <c>/v1/artifacts</c> (default 30 s).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A node no runtime has reported on for this long loses its labels (its pods are gone, so what it holds is no
    /// longer known; default 10 minutes).
    /// </summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
