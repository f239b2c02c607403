namespace AIBrix.KvEvents;

/// <summary>
/// Receives one batch's events as they are decoded, without a model object per event: the spans are only
/// valid during the call (the decoder reuses its buffers). A precise prefix index implements this.
/// </summary>
public interface IKvEventVisitor
{
    /// <summary>Whether <see cref="BlockStoredView.TokenIds"/> should be filled (skipping them is faster).</summary>
    bool WantsTokenIds { get; }

    /// <summary>A batch begins.</summary>
    void OnBatchStart(double timestamp);

    /// <summary>Blocks became cached.</summary>
    void OnBlockStored(in BlockStoredView stored);

    /// <summary>Blocks were evicted.</summary>
    void OnBlockRemoved(ReadOnlySpan<ulong> blockHashes, string? medium);

    /// <summary>The whole cache was dropped.</summary>
    void OnAllBlocksCleared();

    /// <summary>The batch ended (its data-parallel rank, when the engine sent one).</summary>
    void OnBatchEnd(int? dataParallelRank);
}

/// <summary>A <see cref="BlockStored"/> event seen through spans; valid only during <see cref="IKvEventVisitor.OnBlockStored"/>.</summary>
public readonly ref struct BlockStoredView
{
    /// <summary>Wraps the decoded fields.</summary>
    public BlockStoredView(ReadOnlySpan<ulong> blockHashes, ulong? parentBlockHash, ReadOnlySpan<int> tokenIds, int blockSize,
        int? loraId, string? loraName, string? medium)
    {
        BlockHashes = blockHashes;
        ParentBlockHash = parentBlockHash;
        TokenIds = tokenIds;
        BlockSize = blockSize;
        LoraId = loraId;
        LoraName = loraName;
        Medium = medium;
    }

    /// <summary>The stored blocks' hashes, in prompt order.</summary>
    public ReadOnlySpan<ulong> BlockHashes { get; }

    /// <summary>Hash of the block before the first, or null at the start of a sequence.</summary>
    public ulong? ParentBlockHash { get; }

    /// <summary>The blocks' tokens; empty unless the visitor asked for them.</summary>
    public ReadOnlySpan<int> TokenIds { get; }

    /// <summary>Tokens per block.</summary>
    public int BlockSize { get; }

    /// <summary>vLLM's integer LoRA id, or null.</summary>
    public int? LoraId { get; }

    /// <summary>The LoRA adapter's name, or null for the base model.</summary>
    public string? LoraName { get; }

    /// <summary>Where the blocks live (<c>GPU</c>...), or null.</summary>
    public string? Medium { get; }
}
