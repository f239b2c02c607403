namespace AIBrix.Gateway.Core.Routing.KvEvents;

/// <summary>
/// One pod's cached block hashes as its KV-cache events tell them: a set with least-recently-stored eviction
/// past <see cref="KvBlockIndexOptions.MaxBlocksPerPod"/>. Written by the pod's event subscriber, read by
/// routing threads; one lock, held for a few hundred nanoseconds. Every change is mirrored, under that lock, into
/// the index's <see cref="BlockHolders"/> (which pods hold each hash), which decisions read. Until the pod's first event, and for
/// <see cref="KvBlockIndexOptions.ResyncPeriod"/> after a gap, <see cref="IsFresh"/> is false and the policies
/// use the gateway's own estimate for it.
/// </summary>
public sealed class PodBlocks
{
    private const int None = -1;
    private readonly Lock _lock = new();
    private readonly int _capacity;
    private readonly TimeSpan _resyncPeriod;
    private readonly TimeProvider _time;
    private readonly Dictionary<ulong, int> _slots = [];
    // A doubly linked LRU list over slot arrays that grow with the pod (most pods never reach the cap).
    private ulong[] _hash = [];
    private int[] _prev = [];
    private int[] _next = [];
    private int _head = None, _tail = None, _free = None, _used;
    private volatile bool _live;
    private long _freshFromTicks = long.MinValue;
    // The index's hash -> pods map and this pod's number in it; null once the pod left the index.
    private BlockHolders? _holders;
    private readonly int _number;

    internal PodBlocks(KvBlockIndexOptions options, TimeProvider time, BlockHolders? holders = null, int number = -1)
    {
        _capacity = options.MaxBlocksPerPod;
        _resyncPeriod = options.ResyncPeriod;
        _time = time;
        _holders = number >= 0 ? holders : null;
        _number = number;
    }

    /// <summary>This pod's number in the index's <see cref="BlockHolders"/> (-1 when none).</summary>
    internal int Number => _number;

    /// <summary><see cref="IsFresh"/> at <paramref name="nowTicks"/> (UTC ticks), without the lock: one clock read per decision, not per pod.</summary>
    internal bool IsFreshAt(long nowTicks) => _live && nowTicks >= Volatile.Read(ref _freshFromTicks);

    /// <summary>Blocks known cached now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _slots.Count;
            }
        }
    }

    /// <summary>Blocks evicted from the index to stay under the cap (not by the engine).</summary>
    public long Evicted { get; private set; }

    /// <summary>Gaps, restarts and bad batches that made the index resync.</summary>
    public long Resyncs { get; private set; }

    /// <summary>Whether the events can be trusted for this pod now (it published and is not resyncing).</summary>
    public bool IsFresh
    {
        get
        {
            lock (_lock)
            {
                return IsFreshAt(_time.GetUtcNow().UtcTicks);
            }
        }
    }

    /// <summary>A batch arrived: the pod publishes, so its events count from now on.</summary>
    public void MarkLive()
    {
        lock (_lock)
        {
            _live = true;
        }
    }

    /// <summary><c>BlockStored</c>: the blocks are cached (and most recently used).</summary>
    public void Stored(ReadOnlySpan<ulong> hashes)
    {
        lock (_lock)
        {
            _live = true;
            foreach (ulong h in hashes)
            {
                if (_slots.TryGetValue(h, out int slot))
                {
                    Unlink(slot);
                }
                else
                {
                    if (_slots.Count >= _capacity)
                    {
                        int oldest = _tail;
                        Unlink(oldest);
                        _slots.Remove(_hash[oldest]);
                        _holders?.Remove(new ReadOnlySpan<ulong>(in _hash[oldest]), _number);
                        Release(oldest);
                        Evicted++;
                    }

                    slot = Allocate();
                    _hash[slot] = h;
                    _slots[h] = slot;
                }

                PushFront(slot);
            }

            _holders?.Add(hashes, _number);
        }
    }

    /// <summary><c>BlockRemoved</c>: the blocks were evicted by the engine (unknown ones are ignored).</summary>
    public void Removed(ReadOnlySpan<ulong> hashes)
    {
        lock (_lock)
        {
            foreach (ulong h in hashes)
            {
                if (_slots.Remove(h, out int slot))
                {
                    Unlink(slot);
                    Release(slot);
                }
            }

            _holders?.Remove(hashes, _number); // clears only this pod's bit: unknown hashes change nothing
        }
    }

    /// <summary><c>AllBlocksCleared</c>: the engine's cache is empty, which the index now knows exactly.</summary>
    public void Cleared()
    {
        lock (_lock)
        {
            _live = true;
            Reset();
        }
    }

    /// <summary>
    /// Events were lost (gap, restart, bad batch): what is cached is unknown, so drop it and let the estimate
    /// route to this pod for <see cref="KvBlockIndexOptions.ResyncPeriod"/> while new events rebuild it.
    /// </summary>
    public void Resync()
    {
        lock (_lock)
        {
            Reset();
            Resyncs++;
            Volatile.Write(ref _freshFromTicks, (_time.GetUtcNow() + _resyncPeriod).UtcTicks);
        }
    }

    /// <summary>How many of <paramref name="hashes"/>' leading blocks are cached (a chain: stops at the first miss).</summary>
    public int MatchPrefix(ReadOnlySpan<ulong> hashes)
    {
        lock (_lock)
        {
            int n = 0;
            while (n < hashes.Length && _slots.ContainsKey(hashes[n]))
            {
                n++;
            }

            return n;
        }
    }

    /// <summary>Whether one block is cached.</summary>
    public bool Contains(ulong hash)
    {
        lock (_lock)
        {
            return _slots.ContainsKey(hash);
        }
    }

    /// <summary>The pod left the index: its blocks leave the shared map, and later events (a late batch) stay here.</summary>
    internal void Detach()
    {
        lock (_lock)
        {
            Reset();
            _holders = null;
        }
    }

    private void Reset()
    {
        if (_holders is not null && _slots.Count > 0)
        {
            _holders.Remove([.. _slots.Keys], _number);
        }

        _slots.Clear();
        _head = _tail = _free = None;
        _used = 0;
    }

    private int Allocate()
    {
        if (_free != None)
        {
            int slot = _free;
            _free = _next[slot];
            return slot;
        }

        if (_used == _hash.Length)
        {
            int size = Math.Min(_capacity, Math.Max(64, _hash.Length * 2));
            Array.Resize(ref _hash, size);
            Array.Resize(ref _prev, size);
            Array.Resize(ref _next, size);
        }

        return _used++;
    }

    private void Release(int slot)
    {
        _next[slot] = _free;
        _free = slot;
    }

    private void PushFront(int slot)
    {
        _prev[slot] = None;
        _next[slot] = _head;
        if (_head != None)
        {
            _prev[_head] = slot;
        }

        _head = slot;
        if (_tail == None)
        {
            _tail = slot;
        }
    }

    private void Unlink(int slot)
    {
        int p = _prev[slot], n = _next[slot];
        if (p != None)
        {
            _next[p] = n;
        }
        else
        {
            _head = n;
        }

        if (n != None)
        {
            _prev[n] = p;
        }
        else
        {
            _tail = p;
        }
    }
}
