using System.Buffers;
using System.Numerics;
using AIBrix.Gateway.Core.Endpoints;

namespace AIBrix.Gateway.Core.Routing.Prefix;

/// <summary>
/// Which pods hold which prefix blocks: (block hash, pod) entries with a last-use time, bounded in
/// memory and safe under parallel routing.
/// </summary>
/// <remarks>
/// Entries live in fixed open-addressing tables allocated once (16 bytes a slot at a 0.75 load factor,
/// about 21 bytes per entry whatever the traffic): no per-entry object, no growth, no GC churn. A
/// block's entries for several pods share the block's home slot, so one probe run lists every pod
/// holding it. Tables are sharded by hash, each behind its own lock held for one probe run. When a
/// shard is full the oldest of a sample of entries is evicted (approximate LRU, as Redis does);
/// entries older than <see cref="PrefixCacheOptions.Expiry"/> count as absent and go first.
/// Pods are keyed by <see cref="Endpoint.RoutingId"/>, a number never reused in the process, so a
/// removed pod's entries can't be mistaken for a new pod's; they age out.
/// </remarks>
public sealed class PrefixIndex
{
    private const double LoadFactor = 0.75;
    private const int EvictionSample = 32;

    private readonly Shard[] _shards;
    private readonly int _shardShift;
    private readonly TimeProvider _time;
    private readonly long _startTicks;
    private readonly uint _expirySeconds;

    /// <summary>Creates an empty index; all of its memory is allocated here.</summary>
    public PrefixIndex(PrefixCacheOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time ?? TimeProvider.System;
        _startTicks = _time.GetUtcNow().UtcTicks;
        _expirySeconds = (uint)Math.Clamp(options.Expiry.TotalSeconds, 1, uint.MaxValue);
        int shardCount = options.MaxEntries >= 4096 ? 16 : 1;
        _shardShift = 64 - (shardCount == 1 ? 0 : 4);
        _shards = new Shard[shardCount];
        int perShard = Math.Max(1, options.MaxEntries / shardCount);
        Capacity = perShard * shardCount;
        for (int i = 0; i < shardCount; i++)
        {
            _shards[i] = new Shard(perShard, (int)Math.Ceiling(perShard / LoadFactor) + 1);
        }
    }

    /// <summary>Entries held now (expired ones included until evicted).</summary>
    public int Count
    {
        get
        {
            int total = 0;
            foreach (var shard in _shards)
            {
                total += Volatile.Read(ref shard.Count);
            }

            return total;
        }
    }

    /// <summary>The most entries held at once.</summary>
    public int Capacity { get; private init; }

    /// <summary>
    /// For each candidate, how many leading blocks of <paramref name="hashes"/> it holds, written to
    /// <paramref name="matched"/>; returns the longest.
    /// </summary>
    /// <remarks>
    /// Block k's hash covers blocks 0..k, so a pod recorded with it processed the whole prefix: "some
    /// candidate holds block k" is monotone in k, and the longest match is found by binary search in
    /// about log2(blocks) probes instead of one per block. Exact for the candidates holding the longest
    /// match; for the others it is a lower bound (the longest block probed that they hold), which only
    /// matters when the guard turns the longest holders away. An entry evicted from the middle of a chain
    /// can only shorten a match, never lengthen it.
    /// </remarks>
    public int Match(ReadOnlySpan<ulong> hashes, ReadOnlySpan<Endpoint> candidates, Span<int> matched)
    {
        matched.Clear();
        if (hashes.IsEmpty || candidates.IsEmpty)
        {
            return 0;
        }

        // Pod id -> candidate index, open addressing at a load factor of at most 1/2.
        int tableSize = (int)BitOperations.RoundUpToPowerOf2((uint)candidates.Length * 2);
        int[]? rented = null;
        Span<int> table = tableSize <= 2048
            ? stackalloc int[2 * tableSize]
            : (rented = ArrayPool<int>.Shared.Rent(2 * tableSize)).AsSpan(0, 2 * tableSize);
        var map = new CandidateMap(table, tableSize);
        for (int i = 0; i < candidates.Length; i++)
        {
            map.Add(candidates[i].RoutingId, i);
        }

        uint now = NowSeconds();
        int longest = 0;
        if (Probe(hashes, 0, now, map, matched))
        {
            int low = 0, high = hashes.Length; // block `low` is held; `high` is past the end or not held
            while (high - low > 1)
            {
                int mid = (low + high) >>> 1;
                if (Probe(hashes, mid, now, map, matched))
                {
                    low = mid;
                }
                else
                {
                    high = mid;
                }
            }

            longest = low + 1;
        }

        if (rented is not null)
        {
            ArrayPool<int>.Shared.Return(rented);
        }

        return longest;
    }

    private bool Probe(ReadOnlySpan<ulong> hashes, int block, uint now, CandidateMap map, Span<int> matched) =>
        ShardOf(hashes[block]).MarkHolders(hashes[block], block, now, _expirySeconds, map, matched);

    /// <summary>Records that <paramref name="pod"/> now holds every block of <paramref name="hashes"/>.</summary>
    public void Record(ReadOnlySpan<ulong> hashes, Endpoint pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        uint id = (uint)pod.RoutingId;
        uint now = NowSeconds();
        foreach (ulong hash in hashes)
        {
            ShardOf(hash).Upsert(hash, id, now, _expirySeconds);
        }
    }

    /// <summary>The pods' numbers holding <paramref name="hash"/> (for tests and the debug page).</summary>
    public int HolderCount(ulong hash) => ShardOf(hash).CountHolders(hash, NowSeconds(), _expirySeconds);

    private Shard ShardOf(ulong hash) => _shards.Length == 1 ? _shards[0] : _shards[(int)(Mix(hash) >> _shardShift)];

    // Block hashes are XxHash64 already, but tests and callers may use small integers: spread them.
    private static ulong Mix(ulong hash) => hash * 0x9E37_79B9_7F4A_7C15UL;

    private uint NowSeconds() => (uint)Math.Max(0, (_time.GetUtcNow().UtcTicks - _startTicks) / TimeSpan.TicksPerSecond);

    // Pod id -> candidate index over a caller-provided span: keys in the first half, values in the second.
    private readonly ref struct CandidateMap
    {
        private readonly Span<int> _keys;
        private readonly Span<int> _values;
        private readonly int _mask;

        public CandidateMap(Span<int> storage, int size)
        {
            _keys = storage[..size];
            _values = storage.Slice(size, size);
            _mask = size - 1;
            _keys.Clear(); // pod ids start at 1: 0 marks an empty slot
        }

        public void Add(int pod, int candidate)
        {
            int i = Spread(pod) & _mask;
            while (_keys[i] != 0 && _keys[i] != pod)
            {
                i = (i + 1) & _mask;
            }

            _keys[i] = pod;
            _values[i] = candidate;
        }

        public int Find(uint pod)
        {
            for (int i = Spread((int)pod) & _mask; _keys[i] != 0; i = (i + 1) & _mask)
            {
                if (_keys[i] == (int)pod)
                {
                    return _values[i];
                }
            }

            return -1;
        }

        private static int Spread(int pod) => (int)((uint)pod * 0x9E37_79B1u >> 8);
    }

    // One slot: 16 bytes. Pod 0 marks an empty slot (ids start at 1).
    private struct Slot
    {
        public ulong Hash;
        public uint LastUse;
        public uint Pod;
    }

    private sealed class Shard(int maxEntries, int length)
    {
        private readonly Slot[] _slots = new Slot[length];
        private readonly Lock _lock = new();
        private int _cursor;
        public int Count;

        public bool MarkHolders(ulong hash, int block, uint now, uint expiry, CandidateMap map, Span<int> matched)
        {
            bool any = false;
            lock (_lock)
            {
                for (int i = Home(hash); _slots[i].Pod != 0; i = Next(i))
                {
                    ref var slot = ref _slots[i];
                    if (slot.Hash != hash || now - slot.LastUse > expiry)
                    {
                        continue;
                    }

                    int candidate = map.Find(slot.Pod);
                    if (candidate >= 0)
                    {
                        matched[candidate] = Math.Max(matched[candidate], block + 1); // this block and, by the chain, every one before
                        any = true;
                    }
                }
            }

            return any;
        }

        public int CountHolders(ulong hash, uint now, uint expiry)
        {
            int count = 0;
            lock (_lock)
            {
                for (int i = Home(hash); _slots[i].Pod != 0; i = Next(i))
                {
                    if (_slots[i].Hash == hash && now - _slots[i].LastUse <= expiry)
                    {
                        count++;
                    }
                }
            }

            return count;
        }

        public void Upsert(ulong hash, uint pod, uint now, uint expiry)
        {
            lock (_lock)
            {
                int i = Home(hash);
                for (; _slots[i].Pod != 0; i = Next(i))
                {
                    if (_slots[i].Hash == hash && _slots[i].Pod == pod)
                    {
                        _slots[i].LastUse = now;
                        return;
                    }
                }

                if (Count >= maxEntries)
                {
                    EvictOne(now, expiry);
                    for (i = Home(hash); _slots[i].Pod != 0; i = Next(i))
                    {
                    }
                }

                _slots[i] = new Slot { Hash = hash, Pod = pod, LastUse = now };
                Count++;
            }
        }

        private void EvictOne(uint now, uint expiry)
        {
            int oldest = -1;
            uint oldestAge = 0;
            int seen = 0;
            for (int step = 0; step < _slots.Length && seen < EvictionSample; step++)
            {
                int i = _cursor;
                _cursor = Next(_cursor);
                if (_slots[i].Pod == 0)
                {
                    continue;
                }

                seen++;
                uint age = now - _slots[i].LastUse;
                if (oldest < 0 || age > oldestAge)
                {
                    oldest = i;
                    oldestAge = age;
                    if (age > expiry)
                    {
                        break;
                    }
                }
            }

            if (oldest >= 0)
            {
                Delete(oldest);
            }
        }

        // Backward-shift deletion keeps every probe run unbroken without tombstones.
        private void Delete(int hole)
        {
            int j = hole;
            while (true)
            {
                j = Next(j);
                if (_slots[j].Pod == 0)
                {
                    break;
                }

                int home = Home(_slots[j].Hash);
                bool stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
                if (!stays)
                {
                    _slots[hole] = _slots[j];
                    hole = j;
                }
            }

            _slots[hole] = default;
            Count--;
        }

        // Bits 28-59 of the mixed hash: independent of the top bits that chose the shard.
        private int Home(ulong hash) => (int)((((Mix(hash) >> 28) & 0xFFFF_FFFF) * (ulong)_slots.Length) >> 32);

        private int Next(int i) => ++i == _slots.Length ? 0 : i;
    }
}
