namespace AIBrix.EngineSim;

/// <summary>A copy of an engine's load and cache figures at one moment (what a router would scrape).</summary>
/// <param name="Time">Engine time of the snapshot (seconds).</param>
/// <param name="Running">Requests in the batch.</param>
/// <param name="Waiting">Requests queued.</param>
/// <param name="KvCacheUsage">Fraction of blocks in use (0..1).</param>
/// <param name="FreeBlocks">Blocks free (cached or not).</param>
/// <param name="CachedBlocks">Full blocks reusable by hash.</param>
/// <param name="PrefixCacheQueries">Cumulative prompt tokens looked up.</param>
/// <param name="PrefixCacheHits">Cumulative prompt tokens served from cache.</param>
/// <param name="Preemptions">Cumulative preemptions.</param>
/// <param name="Evictions">Cumulative cached blocks evicted.</param>
/// <param name="PromptTokens">Cumulative prompt tokens of started requests.</param>
/// <param name="GenerationTokens">Cumulative generated tokens.</param>
public readonly record struct EngineSnapshot(
    double Time,
    int Running,
    int Waiting,
    double KvCacheUsage,
    int FreeBlocks,
    int CachedBlocks,
    long PrefixCacheQueries,
    long PrefixCacheHits,
    long Preemptions,
    long Evictions,
    long PromptTokens,
    long GenerationTokens);
