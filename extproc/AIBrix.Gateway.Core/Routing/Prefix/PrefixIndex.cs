using System.Buffers;
using System.Runtime.CompilerServices;
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
/// Pods are numbered through a weak table keyed by the <see cref="Endpoint"/> instance, so a removed
/// pod's number is never reused for another pod.
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
    private readonly ConditionalWeakTable<Endpoint, PodNumber> _podIds = [];
    private int _nextPodId;

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
    /// <paramref name="matched"/>; returns the longest. The walk stops at the first block no candidate holds.
    /// </summary>
    public int Match(ReadOnlySpan<ulong> hashes, ReadOnlySpan<Endpoint> candidates, Span<int> matched)
    {
        matched.Clear();
        if (hashes.IsEmpty || candidates.IsEmpty)
        {
            return 0;
        }

        // Sorted (pod id, candidate index) pairs: the id found in a slot resolves by binary search.
        long[]? rented = null;
        Span<long> byPod = candidates.Length <= 512
            ? stackalloc long[candidates.Length]
            : (rented = ArrayPool<long>.Shared.Rent(candidates.Length)).AsSpan(0, candidates.Length);
        for (int i = 0; i < candidates.Length; i++)
        {
            byPod[i] = ((long)PodId(candidates[i]) << 32) | (uint)i;
        }

        byPod.Sort();
        uint now = NowSeconds();
        int longest = 0;
        for (int b = 0; b < hashes.Length; b++)
        {
            if (!ShardOf(hashes[b]).MarkHolders(hashes[b], b, now, _expirySeconds, byPod, matched))
            {
                break;
            }

            longest = b + 1;
        }

        if (rented is not null)
        {
            ArrayPool<long>.Shared.Return(rented);
        }

        return longest;
    }

    /// <summary>Records that <paramref name="pod"/> now holds every block of <paramref name="hashes"/>.</summary>
    public void Record(ReadOnlySpan<ulong> hashes, Endpoint pod)
    {
        uint id = (uint)PodId(pod);
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

    private int PodId(Endpoint endpoint) =>
        _podIds.TryGetValue(endpoint, out var number) ? number.Value : NewPodId(endpoint);

    private int NewPodId(Endpoint endpoint) =>
        _podIds.GetValue(endpoint, _ => new PodNumber(Interlocked.Increment(ref _nextPodId))).Value;

    private sealed class PodNumber(int value)
    {
        public int Value { get; } = value;
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

        public bool MarkHolders(ulong hash, int block, uint now, uint expiry, ReadOnlySpan<long> byPod, Span<int> matched)
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

                    int candidate = Find(byPod, slot.Pod);
                    if (candidate >= 0 && matched[candidate] == block)
                    {
                        matched[candidate] = block + 1; // held this block and every one before it
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

        private static int Find(ReadOnlySpan<long> byPod, uint pod)
        {
            int lo = 0, hi = byPod.Length - 1;
            while (lo <= hi)
            {
                int mid = (lo + hi) >>> 1;
                long id = byPod[mid] >> 32;
                if (id == pod)
                {
                    return (int)(byPod[mid] & 0xFFFF_FFFF);
                }

                if (id < pod)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            return -1;
        }
    }
}
