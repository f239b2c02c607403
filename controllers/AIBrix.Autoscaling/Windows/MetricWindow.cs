namespace AIBrix.Autoscaling.Windows;

/// <summary>
/// The recent history of one metric of one target, in time buckets of a fixed width: each bucket holds the sum of
/// the target totals recorded in it and how many there were. Totals, not per-pod values, because the pod count
/// moves under a window: a mean of per-pod values taken while pods were being added, multiplied by the pods there
/// are now, counts the same load again for every pod added. Only buckets that received a
/// sample are stored, oldest first in a ring that grows on demand up to one entry per bucket of the longest
/// window, so memory follows the scrape rate (about 19 entries at a 10 s interval over 180 s) and can never
/// exceed that bound. The stable, panic and APA averages are read in one pass from the newest end. A bucket
/// takes 16 bytes: its index is kept relative to the oldest bucket ever held since the window was last empty.
/// </summary>
internal sealed class MetricWindow
{
    private const int InitialCapacity = 8;

    private readonly long _bucketTicks;
    private readonly long _stableBuckets;
    private readonly long _panicBuckets;
    private readonly long _apaBuckets;
    private WindowBucket[] _ring;
    private int _head;
    private int _count;
    private long _origin;
    private DateTimeOffset _since;

    /// <summary>A window of the given widths; each is rounded up to whole buckets.</summary>
    public MetricWindow(TimeSpan stable, TimeSpan panic, TimeSpan apa, TimeSpan granularity)
    {
        _bucketTicks = granularity.Ticks;
        _stableBuckets = Buckets(stable);
        _panicBuckets = Buckets(panic);
        _apaBuckets = Buckets(apa);
        MaxEntries = (int)Math.Max(_stableBuckets, Math.Max(_panicBuckets, _apaBuckets));
        _ring = new WindowBucket[Math.Min(InitialCapacity, MaxEntries)];
    }

    /// <summary>The most buckets ever held: the longest window divided by the granularity.</summary>
    public int MaxEntries { get; }

    /// <summary>Buckets allocated now (grows by doubling up to <see cref="MaxEntries"/>).</summary>
    public int Capacity => _ring.Length;

    /// <summary>Buckets holding samples now.</summary>
    public int Count => _count;

    /// <summary>Adds one sample; false (and nothing changes) when it is older than the newest bucket.</summary>
    public bool Record(DateTimeOffset at, double total)
    {
        long bucket = at.UtcTicks / _bucketTicks;
        if (_count > 0)
        {
            ref var newest = ref _ring[(_head + _count - 1) % _ring.Length];
            long newestIndex = _origin + newest.Index;
            if (bucket < newestIndex)
            {
                return false;
            }

            if (bucket == newestIndex)
            {
                newest.Total += total;
                newest.Samples++;
                return true;
            }
        }

        DropOlderThan(bucket - MaxEntries);
        if (_count == 0)
        {
            _since = at;
            _origin = bucket;
        }
        else if (bucket - _origin > int.MaxValue)
        {
            Rebase(); // after decades of 1 s buckets without a gap
        }

        if (_count == _ring.Length)
        {
            Grow();
        }

        _ring[(_head + _count) % _ring.Length] = new WindowBucket { Index = (int)(bucket - _origin), Total = total, Samples = 1 };
        _count++;
        return true;
    }

    /// <summary>The averages of the stable, panic and APA windows ending at <paramref name="now"/>.</summary>
    public WindowReading Read(DateTimeOffset now)
    {
        var scan = new WindowScan(now.UtcTicks / _bucketTicks - _origin, _stableBuckets, _panicBuckets, _apaBuckets);

        // Newest first over the ring's two contiguous pieces: the wrapped part [0, end) then [head, length).
        int end = _head + _count;
        if (end > _ring.Length && !scan.Add(_ring.AsSpan(0, end - _ring.Length)))
        {
            return scan.Reading(Coverage(now));
        }

        scan.Add(_ring.AsSpan(_head, Math.Min(_count, _ring.Length - _head)));
        return scan.Reading(Coverage(now));
    }

    /// <summary>Copies the samples of <paramref name="other"/> into this window (settings changed, history kept).</summary>
    public void CopyFrom(MetricWindow other)
    {
        for (int i = 0; i < other._count; i++)
        {
            ref readonly var b = ref other._ring[(other._head + i) % other._ring.Length];
            var at = new DateTimeOffset((other._origin + b.Index) * other._bucketTicks, TimeSpan.Zero);
            for (int s = 0; s < b.Samples; s++)
            {
                Record(at, b.Total / b.Samples);
            }
        }

        if (other._count > 0 && _count > 0 && other._since < _since)
        {
            _since = other._since;
        }
    }

    private TimeSpan Coverage(DateTimeOffset now) => _count == 0 ? TimeSpan.Zero : now - _since;

    private long Buckets(TimeSpan window) => Math.Max(1, (window.Ticks + _bucketTicks - 1) / _bucketTicks);

    private void DropOlderThan(long oldestKept)
    {
        while (_count > 0 && _origin + _ring[_head].Index <= oldestKept)
        {
            _head = (_head + 1) % _ring.Length;
            _count--;
        }

        if (_count == 0)
        {
            _head = 0;
        }
    }

    private void Rebase()
    {
        int shift = _ring[_head].Index;
        for (int i = 0; i < _count; i++)
        {
            _ring[(_head + i) % _ring.Length].Index -= shift;
        }

        _origin += shift;
    }

    private void Grow()
    {
        var larger = new WindowBucket[Math.Min(_ring.Length * 2, MaxEntries)];
        for (int i = 0; i < _count; i++)
        {
            larger[i] = _ring[(_head + i) % _ring.Length];
        }

        _ring = larger;
        _head = 0;
    }
}
