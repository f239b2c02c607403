using AIBrix.KvEvents;

namespace AIBrix.EngineSim;

/// <summary>
/// Collects what one engine step did to the prefix cache, in order, and hands it to the sink as one batch (vLLM
/// publishes one <c>KVEventBatch</c> per scheduler step). Consecutive evictions share one
/// <see cref="BlockRemoved"/>; the blocks one request fills in one step share one <see cref="BlockStored"/>.
/// </summary>
internal sealed class KvEventRecorder(IKvEventSink sink, int blockSize)
{
    private readonly List<KvCacheEvent> _pending = [];
    private readonly List<ulong> _removed = [];

    public void Stored(Sequence s, int firstBlock, int count)
    {
        CloseRemoved();
        var hashes = s.BlockHashes.AsSpan(firstBlock, count).ToArray();
        var tokens = s.Request.PromptTokens.AsSpan(firstBlock * blockSize, count * blockSize).ToArray();
        ulong? parent = firstBlock == 0 ? null : s.BlockHashes[firstBlock - 1];
        _pending.Add(new BlockStored(hashes, parent, tokens, blockSize, LoraName: s.Request.LoraAdapter));
    }

    public void Removed(ulong hash) => _removed.Add(hash);

    public void Cleared()
    {
        CloseRemoved();
        _pending.Add(AllBlocksCleared.Instance);
    }

    /// <summary>Publishes what the step did, if anything, stamped with the step's time.</summary>
    public void Flush(double time)
    {
        CloseRemoved();
        if (_pending.Count == 0)
        {
            return;
        }

        sink.Publish(new KvEventBatch(time, [.. _pending]));
        _pending.Clear();
    }

    private void CloseRemoved()
    {
        if (_removed.Count > 0)
        {
            _pending.Add(new BlockRemoved([.. _removed]));
            _removed.Clear();
        }
    }
}
