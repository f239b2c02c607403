using AIBrix.Gateway.Core.Routing.KvEvents;
using AIBrix.KvEvents;

namespace AIBrix.Gateway.KvEvents;

/// <summary>
/// One pod's KV-cache event stream applied to its <see cref="PodBlocks"/>: the subscriber (ZeroMQ, or
/// <see cref="InProcessKvEventStream"/> in a virtual replay) calls in event order; anything that means events
/// were lost (a gap the replay could not fill, a publisher restart, a batch that did not decode) resyncs the
/// pod, which then routes on the gateway's estimate until the index is rebuilt. Fed from an index and a pod name
/// (the live gateway), a dropped connection removes the pod from the index, so it routes on the estimate until its
/// publisher is back and speaks again.
/// </summary>
public sealed class PodBlocksFeed : IKvEventStreamHandler, IKvEventConnectionHandler
{
    private readonly KvBlockIndex? _index;
    private readonly string? _pod;
    private PodBlocks? _blocks;
    private long _blockEvents;

    /// <summary>Feeds <paramref name="blocks"/>.</summary>
    public PodBlocksFeed(PodBlocks blocks) => _blocks = blocks;

    /// <summary>Feeds <paramref name="pod"/>'s blocks in <paramref name="index"/>, created when its first batch arrives.</summary>
    public PodBlocksFeed(KvBlockIndex index, string pod)
    {
        _index = index;
        _pod = pod;
    }

    /// <summary>Hashes are all the index needs.</summary>
    public bool WantsTokenIds => false;

    /// <summary>Block events applied (hashes stored and removed, clears).</summary>
    public long BlockEvents => Interlocked.Read(ref _blockEvents);

    /// <summary>Blocks known cached now (0 before the first batch or after a disconnect).</summary>
    public int BlockCount => Volatile.Read(ref _blocks)?.Count ?? 0;

    private PodBlocks Blocks => _blocks ??= _index!.ForPod(_pod!);

    /// <inheritdoc/>
    public void OnBatchStart(double timestamp) => Blocks.MarkLive();

    /// <inheritdoc/>
    public void OnBlockStored(in BlockStoredView stored)
    {
        // Only the GPU tier serves a prefix without a transfer; other media (CPU offload) are not counted.
        if (stored.Medium is null || string.Equals(stored.Medium, "GPU", StringComparison.OrdinalIgnoreCase))
        {
            Blocks.Stored(stored.BlockHashes);
        }

        Interlocked.Add(ref _blockEvents, stored.BlockHashes.Length);
    }

    /// <inheritdoc/>
    public void OnBlockRemoved(ReadOnlySpan<ulong> blockHashes, string? medium)
    {
        if (medium is null || string.Equals(medium, "GPU", StringComparison.OrdinalIgnoreCase))
        {
            Blocks.Removed(blockHashes);
        }

        Interlocked.Add(ref _blockEvents, blockHashes.Length);
    }

    /// <inheritdoc/>
    public void OnAllBlocksCleared()
    {
        Blocks.Cleared();
        Interlocked.Increment(ref _blockEvents);
    }

    /// <inheritdoc/>
    public void OnBatchEnd(int? dataParallelRank)
    {
    }

    /// <inheritdoc/>
    public void OnGap(long from, long to) => Blocks.Resync();

    /// <inheritdoc/>
    public void OnPublisherRestarted(long sequence) => Blocks.Cleared();

    /// <inheritdoc/>
    public void OnMalformed(long sequence, string error) => Blocks.Resync();

    /// <inheritdoc/>
    public void OnDisconnected()
    {
        if (_index is null)
        {
            Blocks.Resync();
            return;
        }

        // Nothing is known until the publisher is back: out of the index, the pod routes on the estimate.
        _index.RemovePod(_pod!);
        _blocks = null;
    }
}
