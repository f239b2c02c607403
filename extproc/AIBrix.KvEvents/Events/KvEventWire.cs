namespace AIBrix.KvEvents;

/// <summary>
/// Wire names of vLLM's KV event stream: msgspec tags (the class names), field names, the ZeroMQ defaults of
/// <c>KVEventsConfig</c>, and the replay protocol's end marker.
/// </summary>
public static class KvEventWire
{
    /// <summary>Tag of <see cref="BlockStored"/>.</summary>
    public const string BlockStoredTag = "BlockStored";

    /// <summary>Tag of <see cref="BlockRemoved"/>.</summary>
    public const string BlockRemovedTag = "BlockRemoved";

    /// <summary>Tag of <see cref="AllBlocksCleared"/>.</summary>
    public const string AllBlocksClearedTag = "AllBlocksCleared";

    /// <summary>Key of the tag in a map-encoded event (msgspec's default <c>tag_field</c>).</summary>
    public const string TypeKey = "type";

    /// <summary>vLLM's name for GPU memory in <c>medium</c>.</summary>
    public const string MediumGpu = "GPU";

    /// <summary>Default publisher endpoint of <c>KVEventsConfig.endpoint</c> (port 5557).</summary>
    public const int DefaultPort = 5557;

    /// <summary>Batches a publisher keeps for replay (<c>KVEventsConfig.buffer_steps</c>).</summary>
    public const int DefaultReplayBufferSteps = 10_000;

    /// <summary>ZeroMQ high-water mark of the PUB socket (<c>KVEventsConfig.hwm</c>).</summary>
    public const int DefaultHighWaterMark = 100_000;

    /// <summary>The sequence number the replay socket sends last, with an empty payload: "no more".</summary>
    public const long EndOfReplay = -1;

    internal static ReadOnlySpan<byte> BlockStoredUtf8 => "BlockStored"u8;
    internal static ReadOnlySpan<byte> BlockRemovedUtf8 => "BlockRemoved"u8;
    internal static ReadOnlySpan<byte> AllBlocksClearedUtf8 => "AllBlocksCleared"u8;
    internal static ReadOnlySpan<byte> TypeUtf8 => "type"u8;
    internal static ReadOnlySpan<byte> TsUtf8 => "ts"u8;
    internal static ReadOnlySpan<byte> EventsUtf8 => "events"u8;
    internal static ReadOnlySpan<byte> DataParallelRankUtf8 => "data_parallel_rank"u8;
    internal static ReadOnlySpan<byte> BlockHashesUtf8 => "block_hashes"u8;
    internal static ReadOnlySpan<byte> ParentBlockHashUtf8 => "parent_block_hash"u8;
    internal static ReadOnlySpan<byte> TokenIdsUtf8 => "token_ids"u8;
    internal static ReadOnlySpan<byte> BlockSizeUtf8 => "block_size"u8;
    internal static ReadOnlySpan<byte> LoraIdUtf8 => "lora_id"u8;
    internal static ReadOnlySpan<byte> MediumUtf8 => "medium"u8;
    internal static ReadOnlySpan<byte> LoraNameUtf8 => "lora_name"u8;
}
