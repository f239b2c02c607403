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
public sealed partial class PrefixIndex
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
}
