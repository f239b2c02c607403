namespace AIBrix.Gateway.Core.Routing.Prefix;

/// <summary>
/// One shard of the index: a fixed open-addressing table of (block hash, pod, last use) slots behind one
/// lock, with sampled approximate-LRU eviction and backward-shift deletion.
/// </summary>
public sealed partial class PrefixIndex
{
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
