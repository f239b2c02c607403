namespace AIBrix.KvEvents;

/// <summary>
/// What one engine step changed in the cache, published as one message (vLLM's <c>KVEventBatch</c>).
/// </summary>
/// <param name="Timestamp">When, in seconds (vLLM: Unix time; the simulator's virtual mode: virtual seconds).</param>
/// <param name="Events">The changes, in the order they happened.</param>
/// <param name="DataParallelRank">The engine's data-parallel rank, or null when the engine does not say.</param>
public sealed record KvEventBatch(double Timestamp, IReadOnlyList<KvCacheEvent> Events, int? DataParallelRank = null)
{
    /// <summary>Hands every event to <paramref name="visitor"/>, as <see cref="KvEventDecoder"/> does from bytes.</summary>
    public void Accept<TVisitor>(TVisitor visitor)
        where TVisitor : class, IKvEventVisitor
    {
        ArgumentNullException.ThrowIfNull(visitor);
        visitor.OnBatchStart(Timestamp);
        foreach (var e in Events)
        {
            switch (e)
            {
                case BlockStored stored:
                    visitor.OnBlockStored(new BlockStoredView(stored.BlockHashes, stored.ParentBlockHash, stored.TokenIds,
                        stored.BlockSize, stored.LoraId, stored.LoraName, stored.Medium));
                    break;
                case BlockRemoved removed:
                    visitor.OnBlockRemoved(removed.BlockHashes, removed.Medium);
                    break;
                case AllBlocksCleared:
                    visitor.OnAllBlocksCleared();
                    break;
                default:
                    break;
            }
        }

        visitor.OnBatchEnd(DataParallelRank);
    }
}
