namespace AIBrix.EngineSim;

/// <summary>
/// Paged KV cache: fixed blocks with reference counts, a hash → block map of cached full blocks, and a free queue
/// kept in LRU order. Like vLLM v1, a freed block keeps its cached content until it is reallocated; allocation
/// takes the least recently freed block first and only then evicts its hash.
/// </summary>
internal sealed class KvBlockPool
{
    private readonly int[] _refCount;
    private readonly ulong[] _hash;
    private readonly bool[] _hashed;
    private readonly int[] _prev;
    private readonly int[] _next;
    private readonly bool[] _free;
    private readonly Dictionary<ulong, int> _cached;
    private int _head = -1;
    private int _tail = -1;

    public KvBlockPool(int capacity)
    {
        Capacity = capacity;
        _refCount = new int[capacity];
        _hash = new ulong[capacity];
        _hashed = new bool[capacity];
        _prev = new int[capacity];
        _next = new int[capacity];
        _free = new bool[capacity];
        _cached = new Dictionary<ulong, int>(Math.Min(capacity, 1 << 16));
        for (int b = 0; b < capacity; b++)
        {
            AppendFree(b);
        }
    }

    public int Capacity { get; }

    /// <summary>Told of every eviction and reset, when the engine publishes KV events.</summary>
    public KvEventRecorder? Events { get; set; }

    /// <summary>Blocks with no owner, cached or not (vLLM counts both as free).</summary>
    public int FreeCount { get; private set; }

    /// <summary>Cached blocks whose content was dropped to make room.</summary>
    public long Evictions { get; private set; }

    public int CachedCount => _cached.Count;

    public IEnumerable<ulong> CachedHashes => _cached.Keys;

    public bool IsCached(ulong hash) => _cached.ContainsKey(hash);

    /// <summary>The block holding <paramref name="hash"/>, or -1.</summary>
    public int Lookup(ulong hash) => _cached.TryGetValue(hash, out int block) ? block : -1;

    public bool IsFree(int block) => _free[block];

    /// <summary>Takes a reference on a cached block found by <see cref="Lookup"/>.</summary>
    public void Acquire(int block)
    {
        if (_refCount[block]++ == 0)
        {
            RemoveFree(block);
        }
    }

    /// <summary>Takes the least recently freed block, evicting its cached content; -1 when none is free.</summary>
    public int Allocate()
    {
        int block = _head;
        if (block < 0)
        {
            return -1;
        }

        RemoveFree(block);
        if (_hashed[block])
        {
            _cached.Remove(_hash[block]);
            _hashed[block] = false;
            Evictions++;
            Events?.Removed(_hash[block]);
        }

        _refCount[block] = 1;
        return block;
    }

    public void Release(int block)
    {
        if (--_refCount[block] == 0)
        {
            AppendFree(block);
        }
    }

    /// <summary>
    /// Marks a full block as holding <paramref name="hash"/>; a duplicate of an already cached hash stays private.
    /// Returns whether the hash became cached by this call.
    /// </summary>
    public bool Register(int block, ulong hash)
    {
        if (!_hashed[block] && _cached.TryAdd(hash, block))
        {
            _hash[block] = hash;
            _hashed[block] = true;
            return true;
        }

        return false;
    }

    /// <summary>
    /// Drops every cached hash, as vLLM's <c>reset_prefix_cache</c>: only when no block is in use (a running
    /// request's blocks must keep their content). Returns false and changes nothing otherwise.
    /// </summary>
    public bool Reset()
    {
        if (FreeCount != Capacity)
        {
            return false;
        }

        foreach (int block in _cached.Values)
        {
            _hashed[block] = false;
        }

        _cached.Clear();
        Events?.Cleared();
        return true;
    }

    private void AppendFree(int block)
    {
        _free[block] = true;
        _prev[block] = _tail;
        _next[block] = -1;
        if (_tail >= 0)
        {
            _next[_tail] = block;
        }
        else
        {
            _head = block;
        }

        _tail = block;
        FreeCount++;
    }

    private void RemoveFree(int block)
    {
        int p = _prev[block];
        int n = _next[block];
        if (p >= 0)
        {
            _next[p] = n;
        }
        else
        {
            _head = n;
        }

        if (n >= 0)
        {
            _prev[n] = p;
        }
        else
        {
            _tail = p;
        }

        _free[block] = false;
        FreeCount--;
    }
}
