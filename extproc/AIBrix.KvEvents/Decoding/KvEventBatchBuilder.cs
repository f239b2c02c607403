namespace AIBrix.KvEvents;

/// <summary>A visitor that copies what it sees into a <see cref="KvEventBatch"/> (for tests, tools and replays).</summary>
internal sealed class KvEventBatchBuilder : IKvEventVisitor
{
    private readonly List<KvCacheEvent> _events = [];
    private double _timestamp;

    public KvEventBatch? Batch { get; private set; }

    public bool WantsTokenIds => true;

    public void OnBatchStart(double timestamp)
    {
        _events.Clear();
        _timestamp = timestamp;
        Batch = null;
    }

    public void OnBlockStored(in BlockStoredView stored) =>
        _events.Add(new BlockStored(stored.BlockHashes.ToArray(), stored.ParentBlockHash, stored.TokenIds.ToArray(), stored.BlockSize,
            stored.LoraId, stored.Medium, stored.LoraName));

    public void OnBlockRemoved(ReadOnlySpan<ulong> blockHashes, string? medium) => _events.Add(new BlockRemoved(blockHashes.ToArray(), medium));

    public void OnAllBlocksCleared() => _events.Add(AllBlocksCleared.Instance);

    public void OnBatchEnd(int? dataParallelRank) => Batch = new KvEventBatch(_timestamp, [.. _events], dataParallelRank);
}
