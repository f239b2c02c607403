namespace AIBrix.Gateway.Core.Routing.Prefix;

/// <summary>The per-match map from pod id to candidate index, on the caller's stack.</summary>
public sealed partial class PrefixIndex
{
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
}
