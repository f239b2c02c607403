namespace AIBrix.Gateway.Core.Routing.Prefix;

/// <summary>
/// Hot-spot guards of cache-affinity policies (the YAML <c>routing.loadGuard</c> section), applied to each
/// candidate: a pod may win by its cache only while its in-flight count is within
/// <see cref="AbsoluteImbalance"/> of the least loaded candidate and at most mean + <see cref="StddevFactor"/>·σ.
/// </summary>
public sealed record LoadGuardOptions
{
    /// <summary>Most in-flight requests above the least loaded candidate (default 16, AIBrix's imbalance count).</summary>
    public int AbsoluteImbalance { get; init; } = 16;

    /// <summary>Standard deviations above the candidates' mean load allowed (default 2, AIBrix's load factor).</summary>
    public double StddevFactor { get; init; } = 2;
}
