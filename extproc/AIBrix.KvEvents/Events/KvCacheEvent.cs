namespace AIBrix.KvEvents;

/// <summary>
/// One change to an engine's prefix cache, as vLLM publishes it (<c>vllm/distributed/kv_events.py</c>):
/// <see cref="BlockStored"/>, <see cref="BlockRemoved"/> or <see cref="AllBlocksCleared"/>.
/// </summary>
public abstract record KvCacheEvent;

/// <summary>
/// Full blocks that became reusable by hash, in prompt order: block <c>i</c>'s parent is block <c>i-1</c>, the
/// first one's is <see cref="ParentBlockHash"/> (null at the start of a sequence).
/// </summary>
/// <param name="BlockHashes">The blocks' hashes, each chained over its parent's (see docs/enginesim.md for the simulator's).</param>
/// <param name="ParentBlockHash">Hash of the block before the first one, or null when the first block starts the prompt.</param>
/// <param name="TokenIds">The blocks' tokens, <see cref="BlockSize"/> per block (may be empty when a decoder skips them).</param>
/// <param name="BlockSize">Tokens per block.</param>
/// <param name="LoraId">vLLM's integer LoRA id (deprecated there in favour of <see cref="LoraName"/>), or null.</param>
/// <param name="Medium">Where the blocks live (<c>GPU</c>, <c>CPU</c>...), or null when the engine does not say.</param>
/// <param name="LoraName">The LoRA adapter the blocks were computed with, or null for the base model.</param>
public sealed record BlockStored(
    ulong[] BlockHashes,
    ulong? ParentBlockHash,
    int[] TokenIds,
    int BlockSize,
    int? LoraId = null,
    string? Medium = KvEventWire.MediumGpu,
    string? LoraName = null) : KvCacheEvent;

/// <summary>Blocks whose content was dropped (evicted to make room); their hashes no longer hit.</summary>
/// <param name="BlockHashes">The evicted blocks' hashes.</param>
/// <param name="Medium">Where they lived, or null.</param>
public sealed record BlockRemoved(ulong[] BlockHashes, string? Medium = KvEventWire.MediumGpu) : KvCacheEvent;

/// <summary>The whole prefix cache was dropped (vLLM's <c>reset_prefix_cache</c>, or an engine restart).</summary>
public sealed record AllBlocksCleared : KvCacheEvent
{
    /// <summary>The one instance (the event has no fields).</summary>
    public static AllBlocksCleared Instance { get; } = new();
}
