using AIBrix.Gateway.Core.Endpoints;
using Endpoint = AIBrix.Gateway.Core.Endpoints.Endpoint;

namespace AIBrix.Gateway.Observability.History;

/// <summary>
/// Per-endpoint series for the operator page: running, waiting, KV-cache usage, prefix-cache hit rate (from the
/// engine's hit and query counters between two samples) and this gateway's in-flight count, one sample per bucket
/// taken from the endpoint snapshot, plus scrape failures counted as they happen. At most
/// <see cref="HistoryOptions.MaxEndpoints"/> endpoints have a series; gone endpoints are dropped at the next sample.
/// </summary>
internal sealed class EndpointHistory(HistoryOptions options, TimeProvider time)
{
    private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public HistoryOptions Options => options;

    /// <summary>The current bucket's number (Unix seconds / bucket width).</summary>
    public long CurrentBucket => time.GetUtcNow().ToUnixTimeSeconds() / options.BucketSeconds;

    /// <summary>Endpoints with a series.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _series.Count;
            }
        }
    }

    /// <summary>
    /// Records a sample of every endpoint in <paramref name="snapshot"/> in the current bucket; a later sample in the same
    /// bucket replaces it (readers sample too, so the current bucket is never older than the page's last refresh).
    /// </summary>
    public void Sample(EndpointSnapshot snapshot)
    {
        long n = CurrentBucket;
        lock (_lock)
        {
            foreach (var gone in _series.Keys.Where(k => !snapshot.ByName.ContainsKey(k)).ToList())
            {
                _series.Remove(gone);
            }

            foreach (var endpoint in snapshot.All)
            {
                if (!_series.TryGetValue(endpoint.Name, out var series))
                {
                    if (_series.Count >= options.MaxEndpoints)
                    {
                        continue;
                    }

                    series = new Series(options.Buckets);
                    _series[endpoint.Name] = series;
                }

                series.Add(n, endpoint);
            }
        }
    }

    /// <summary>Counts a failed scrape of <paramref name="endpoint"/>.</summary>
    public void OnScrapeFailed(string endpoint)
    {
        lock (_lock)
        {
            if (_series.TryGetValue(endpoint, out var series))
            {
                series.ScrapeFailures++;
            }
        }
    }

    /// <summary>
    /// The last <paramref name="buckets"/> samples (oldest first, NaN where none) of the endpoints <paramref name="pick"/>
    /// chooses from (name, latest running + waiting, latest in-flight).
    /// </summary>
    public IReadOnlyList<EndpointSeriesView> Read(int buckets, Func<IEnumerable<(string Name, double Load)>, IEnumerable<string>> pick)
    {
        buckets = Math.Clamp(buckets, 1, options.Buckets);
        long now = time.GetUtcNow().ToUnixTimeSeconds() / options.BucketSeconds;
        lock (_lock)
        {
            var names = pick(_series.Select(s => (s.Key, s.Value.LatestLoad))).ToList();
            var views = new List<EndpointSeriesView>(names.Count);
            foreach (var name in names)
            {
                if (_series.TryGetValue(name, out var series))
                {
                    views.Add(series.View(name, now, buckets));
                }
            }

            return views;
        }
    }

    /// <summary>Failed scrapes of <paramref name="endpoint"/> counted since its series began.</summary>
    public long ScrapeFailures(string endpoint)
    {
        lock (_lock)
        {
            return _series.TryGetValue(endpoint, out var s) ? s.ScrapeFailures : 0;
        }
    }

    private sealed class Series(int length)
    {
        private readonly long[] _numbers = Filled(length);
        private readonly float[] _running = new float[length];
        private readonly float[] _waiting = new float[length];
        private readonly float[] _kv = new float[length];
        private readonly float[] _prefix = new float[length];
        private readonly float[] _inFlight = new float[length];
        private long _bucket = -1;
        private (double Hits, double Queries)? _base;
        private (double Hits, double Queries)? _latest;

        public long ScrapeFailures { get; set; }

        public double LatestLoad { get; private set; }

        public void Add(long n, Endpoint endpoint)
        {
            int i = (int)(n % _numbers.Length);
            var m = endpoint.Metrics;
            _numbers[i] = n;
            _running[i] = Value(m?.Running);
            _waiting[i] = Value(m?.Waiting);
            _kv[i] = Value(m?.KvCacheUsage);
            _inFlight[i] = endpoint.InFlight;
            // A recent hit rate: the counters' change since the previous bucket's last sample (the engine's own rate
            // when it has no counters), so several samples in one bucket all measure from the same base.
            if (n != _bucket)
            {
                (_bucket, _base) = (n, _latest);
            }

            float prefix = Value(m?.PrefixCacheHitRate);
            if (m?.PrefixCacheHits is { } hits && m.PrefixCacheQueries is { } queries)
            {
                prefix = _base is { } b && queries > b.Queries && hits >= b.Hits
                    ? (float)((hits - b.Hits) / (queries - b.Queries))
                    : float.NaN;
                _latest = (hits, queries);
            }

            _prefix[i] = prefix;
            LatestLoad = (m?.Running ?? 0) + (m?.Waiting ?? 0) + endpoint.InFlight;
        }

        public EndpointSeriesView View(string name, long now, int buckets)
        {
            var view = new EndpointSeriesView(name, new float[buckets], new float[buckets], new float[buckets], new float[buckets], new float[buckets], ScrapeFailures);
            for (int k = 0; k < buckets; k++)
            {
                long n = now - buckets + 1 + k;
                int i = (int)(n % _numbers.Length);
                bool has = _numbers[i] == n;
                view.Running[k] = has ? _running[i] : float.NaN;
                view.Waiting[k] = has ? _waiting[i] : float.NaN;
                view.KvCache[k] = has ? _kv[i] : float.NaN;
                view.PrefixHitRate[k] = has ? _prefix[i] : float.NaN;
                view.InFlight[k] = has ? _inFlight[i] : float.NaN;
            }

            return view;
        }

        private static float Value(double? v) => v is { } x && double.IsFinite(x) ? (float)x : float.NaN;

        private static long[] Filled(int length)
        {
            var numbers = new long[length];
            Array.Fill(numbers, -1);
            return numbers;
        }
    }
}

/// <summary>One endpoint's samples, oldest first; NaN where there is no sample or the engine reported nothing.</summary>
internal sealed record EndpointSeriesView(
    string Name, float[] Running, float[] Waiting, float[] KvCache, float[] PrefixHitRate, float[] InFlight, long ScrapeFailures);
