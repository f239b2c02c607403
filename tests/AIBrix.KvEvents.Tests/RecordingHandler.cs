namespace AIBrix.KvEvents.Tests;

/// <summary>Records what a decoder or subscriber hands it; thread-safe for reads from the test thread.</summary>
internal sealed class RecordingHandler(bool wantsTokenIds = true) : IKvEventStreamHandler
{
    private readonly Lock _gate = new();
    private readonly List<string> _log = [];
    private readonly List<(long From, long To)> _gaps = [];
    private readonly List<long> _restarts = [];
    private readonly List<string> _malformed = [];
    private readonly List<double> _timestamps = [];
    private readonly List<int?> _ranks = [];
    private readonly List<KvCacheEvent> _events = [];

    public bool WantsTokenIds => wantsTokenIds;

    public List<string> Log { get { lock (_gate) { return [.. _log]; } } }
    public List<(long From, long To)> Gaps { get { lock (_gate) { return [.. _gaps]; } } }
    public List<long> Restarts { get { lock (_gate) { return [.. _restarts]; } } }
    public List<string> Malformed { get { lock (_gate) { return [.. _malformed]; } } }
    public List<double> Timestamps { get { lock (_gate) { return [.. _timestamps]; } } }
    public List<int?> Ranks { get { lock (_gate) { return [.. _ranks]; } } }
    public List<KvCacheEvent> Events { get { lock (_gate) { return [.. _events]; } } }

    public void OnBatchStart(double timestamp)
    {
        lock (_gate)
        {
            _timestamps.Add(timestamp);
        }
    }

    public void OnBlockStored(in BlockStoredView stored)
    {
        var e = new BlockStored(stored.BlockHashes.ToArray(), stored.ParentBlockHash, stored.TokenIds.ToArray(), stored.BlockSize,
            stored.LoraId, stored.Medium, stored.LoraName);
        lock (_gate)
        {
            _events.Add(e);
            _log.Add("stored " + string.Join(',', e.BlockHashes));
        }
    }

    public void OnBlockRemoved(ReadOnlySpan<ulong> blockHashes, string? medium)
    {
        var e = new BlockRemoved(blockHashes.ToArray(), medium);
        lock (_gate)
        {
            _events.Add(e);
            _log.Add("removed " + string.Join(',', e.BlockHashes));
        }
    }

    public void OnAllBlocksCleared()
    {
        lock (_gate)
        {
            _events.Add(AllBlocksCleared.Instance);
            _log.Add("cleared");
        }
    }

    public void OnBatchEnd(int? dataParallelRank)
    {
        lock (_gate)
        {
            _ranks.Add(dataParallelRank);
        }
    }

    public void OnGap(long from, long to)
    {
        lock (_gate)
        {
            _gaps.Add((from, to));
        }
    }

    public void OnPublisherRestarted(long sequence)
    {
        lock (_gate)
        {
            _restarts.Add(sequence);
        }
    }

    public void OnMalformed(long sequence, string error)
    {
        lock (_gate)
        {
            _malformed.Add($"{sequence}: {error}");
        }
    }
}
