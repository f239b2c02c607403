using AIBrix.Gateway.Core.Routing.KvEvents;
using AIBrix.KvEvents;

namespace AIBrix.Gateway.KvEvents;

/// <summary>
/// One pod's KV-cache event stream applied to its <see cref="PodBlocks"/>: the subscriber (ZeroMQ, or
/// <see cref="InProcessKvEventStream"/> in a virtual replay) calls in event order; anything that means events
/// were lost (a gap the replay could not fill, a publisher restart, a batch that did not decode) resyncs the
/// pod, which then routes on the gateway's estimate until the index is rebuilt.
/// </summary>
public sealed class PodBlocksFeed(PodBlocks blocks) : IKvEventStreamHandler
{
    /// <summary>Hashes are all the index needs.</summary>
    public bool WantsTokenIds => false;

    /// <inheritdoc/>
    public void OnBatchStart(double timestamp) => blocks.MarkLive();

    /// <inheritdoc/>
    public void OnBlockStored(in BlockStoredView stored)
    {
        // Only the GPU tier serves a prefix without a transfer; other media (CPU offload) are not counted.
        if (stored.Medium is null || string.Equals(stored.Medium, "GPU", StringComparison.OrdinalIgnoreCase))
        {
            blocks.Stored(stored.BlockHashes);
        }
    }

    /// <inheritdoc/>
    public void OnBlockRemoved(ReadOnlySpan<ulong> blockHashes, string? medium)
    {
        if (medium is null || string.Equals(medium, "GPU", StringComparison.OrdinalIgnoreCase))
        {
            blocks.Removed(blockHashes);
        }
    }

    /// <inheritdoc/>
    public void OnAllBlocksCleared() => blocks.Cleared();

    /// <inheritdoc/>
    public void OnBatchEnd(int? dataParallelRank)
    {
    }

    /// <inheritdoc/>
    public void OnGap(long from, long to) => blocks.Resync();

    /// <inheritdoc/>
    public void OnPublisherRestarted(long sequence) => blocks.Cleared();

    /// <inheritdoc/>
    public void OnMalformed(long sequence, string error) => blocks.Resync();
}
