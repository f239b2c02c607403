namespace AIBrix.Gateway.Core.Routing.KvEvents;

/// <summary>Settings of the <see cref="KvBlockIndex"/> fed by engines' KV-cache events (YAML <c>routing.kvEvents</c>).</summary>
public sealed record KvBlockIndexOptions
{
    /// <summary>
    /// Block hashes kept per pod at most (default 262,144: an 80 GB GPU at 16 tokens a block holds far fewer);
    /// past it the least recently stored go first, so a pod whose removals are lost cannot grow the index.
    /// </summary>
    public int MaxBlocksPerPod { get; init; } = 262_144;

    /// <summary>
    /// After a gap, a publisher restart or a bad batch the pod's blocks are dropped and the policies use the
    /// gateway's own estimate for this long while new events rebuild the index (default 10 s).
    /// </summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Every error in these settings (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxBlocksPerPod < 1)
        {
            errors.Add("routing.kvEvents.maxBlocksPerPod must be >= 1");
        }

        if (ResyncPeriod < TimeSpan.Zero)
        {
            errors.Add("routing.kvEvents.resyncPeriod must be >= 0");
        }

        return errors;
    }
}
