using System.Numerics;

namespace AIBrix.Gateway.Core.Routing.KvEvents;

/// <summary>
/// For every block hash some pod holds, which pods hold it: one bit per pod (pods numbered by the
/// <see cref="KvBlockIndex"/>, 64 to a word; a hash's word <c>w</c> is keyed (hash, w), so most fleets use one
/// entry per hash). A decision walks the request's blocks once for all candidates, narrowing the set of pods
/// still matching, under one lock: as many lookups as the longest cached prefix, not one per pod per block.
/// Written by each pod's <see cref="PodBlocks"/> under that pod's lock (pod lock, then this one).
/// </summary>
internal sealed class BlockHolders
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Key, ulong> _bits = [];

    /// <summary>Entries held (hash and word pairs).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _bits.Count;
            }
        }
    }

    public void Add(ReadOnlySpan<ulong> hashes, int pod)
    {
        var (word, bit) = (pod >> 6, 1UL << (pod & 63));
        lock (_lock)
        {
            foreach (ulong h in hashes)
            {
                ref ulong bits = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_bits, new Key(h, word), out _);
                bits |= bit;
            }
        }
    }

    public void Remove(ReadOnlySpan<ulong> hashes, int pod)
    {
        var (word, bit) = (pod >> 6, 1UL << (pod & 63));
        lock (_lock)
        {
            foreach (ulong h in hashes)
            {
                var key = new Key(h, word);
                ref ulong bits = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(_bits, key);
                if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref bits))
                {
                    bits &= ~bit;
                    if (bits == 0)
                    {
                        _bits.Remove(key);
                    }
                }
            }
        }
    }

    /// <summary>
    /// For each pod number in <paramref name="pods"/> (negative: skip, result -1), how many leading blocks of
    /// <paramref name="hashes"/> it holds (a chain: its count stops at its first miss), into <paramref name="blocks"/>.
    /// </summary>
    public void MatchPrefixes(ReadOnlySpan<ulong> hashes, ReadOnlySpan<int> pods, Span<int> blocks)
    {
        int maxPod = -1;
        foreach (int p in pods)
        {
            maxPod = Math.Max(maxPod, p);
        }

        if (maxPod < 0)
        {
            blocks.Fill(-1);
            return;
        }

        int words = (maxPod >> 6) + 1;
        Span<ulong> alive = words <= 16 ? stackalloc ulong[words] : new ulong[words];
        alive.Clear();
        foreach (int p in pods)
        {
            if (p >= 0)
            {
                alive[p >> 6] |= 1UL << (p & 63);
            }
        }

        // matched[pod] = the block index at which the pod dropped out (hashes.Length when it never did).
        int slots = words * 64;
        Span<int> matched = slots <= 1024 ? stackalloc int[slots] : new int[slots];
        matched.Fill(hashes.Length);
        int live = words;
        lock (_lock)
        {
            for (int i = 0; i < hashes.Length && live > 0; i++)
            {
                live = 0;
                for (int w = 0; w < words; w++)
                {
                    ulong a = alive[w];
                    if (a == 0)
                    {
                        continue;
                    }

                    ulong held = _bits.TryGetValue(new Key(hashes[i], w), out ulong b) ? b : 0;
                    ulong lost = a & ~held;
                    while (lost != 0)
                    {
                        int bit = BitOperations.TrailingZeroCount(lost);
                        matched[(w << 6) + bit] = i;
                        lost &= lost - 1;
                    }

                    alive[w] = a & held;
                    if (alive[w] != 0)
                    {
                        live++;
                    }
                }
            }
        }

        for (int k = 0; k < pods.Length; k++)
        {
            blocks[k] = pods[k] < 0 ? -1 : matched[pods[k]];
        }
    }

    private readonly record struct Key(ulong Hash, int Word)
    {
        public override int GetHashCode() => (int)(Hash ^ (Hash >> 32)) ^ (Word * -1640531535);
    }
}
