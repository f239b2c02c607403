using System.Collections.Concurrent;
using System.Text;
using AIBrix.EngineMetrics;

namespace AIBrix.Runtime.Metrics;

/// <summary>
/// The runtime's own series: its API requests (AIBrix's <c>aibrix:api_request_total</c> and
/// <c>aibrix:api_request_latency</c>), artifact downloads, engine scrapes and their failures. Written by hand rather
/// than through a metrics library, so no process_* or dotnet_* series of ours collide with the engine's own when its
/// page is passed through.
/// </summary>
internal sealed class RuntimeMetrics
{
    private static readonly double[] LatencyBuckets = [0.1, 0.2, 0.5, 1, 2, 5];

    private readonly ConcurrentDictionary<(string Method, string Endpoint, int Status), Histogram> _requests = new();
    private readonly ConcurrentDictionary<(string Kind, string Result), Count> _downloads = new();
    private readonly ConcurrentDictionary<string, Count> _downloadBytes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Count> _scrapeErrors = new(StringComparer.Ordinal);
    private readonly string _version;
    private readonly string _engine;
    private readonly string _engineVersion;
    private long _scrapes;

    public RuntimeMetrics(RuntimeOptions options)
    {
        _version = typeof(RuntimeMetrics).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        _engine = options.Engine switch { null => "auto", EngineKind.Sglang => "sglang", EngineKind.LlamaCpp => "llamacpp", _ => "vllm" };
        _engineVersion = options.EngineVersion;
    }

    public void Request(string method, string endpoint, int status, TimeSpan elapsed) =>
        _requests.GetOrAdd((method, endpoint, status), static _ => new Histogram(LatencyBuckets.Length)).Observe(elapsed.TotalSeconds, LatencyBuckets);

    /// <summary>One finished download: <paramref name="kind"/> is model or adapter; <paramref name="result"/> success or the error kind.</summary>
    public void Download(string kind, string result, long bytesTransferred)
    {
        _downloads.GetOrAdd((kind, result), static _ => new Count()).Add(1);
        if (bytesTransferred > 0)
        {
            _downloadBytes.GetOrAdd(kind, static _ => new Count()).Add(bytesTransferred);
        }
    }

    public void EngineScraped() => Interlocked.Increment(ref _scrapes);

    public void EngineScrapeFailed(string reason) => _scrapeErrors.GetOrAdd(reason, static _ => new Count()).Add(1);

    public void Write(StringBuilder sb, bool engineUp)
    {
        Exposition.Header(sb, "aibrix:info", MetricType.Gauge, "The runtime's version and its engine.");
        Exposition.Sample(sb, "aibrix:info", [new("version", _version), new("engine", _engine), new("engine_version", _engineVersion)], 1);

        Exposition.Header(sb, "aibrix:engine_metrics_up", MetricType.Gauge, "1 when the latest scrape of the engine's metrics page succeeded.");
        Exposition.Sample(sb, "aibrix:engine_metrics_up", [], engineUp ? 1 : 0);

        Exposition.Header(sb, "aibrix:engine_scrapes_total", MetricType.Counter, "Scrapes of the engine's metrics page (cached pages not counted).");
        Exposition.Sample(sb, "aibrix:engine_scrapes_total", [], Interlocked.Read(ref _scrapes));

        Exposition.Header(sb, "aibrix:engine_scrape_errors_total", MetricType.Counter, "Failed scrapes of the engine's metrics page, by reason.");
        foreach (var (reason, count) in _scrapeErrors.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Exposition.Sample(sb, "aibrix:engine_scrape_errors_total", [new("reason", reason)], count.Value);
        }

        Exposition.Header(sb, "aibrix:artifact_downloads_total", MetricType.Counter, "Artifact downloads, by kind (model, adapter) and result.");
        foreach (var ((kind, result), count) in _downloads.OrderBy(p => p.Key))
        {
            Exposition.Sample(sb, "aibrix:artifact_downloads_total", [new("kind", kind), new("result", result)], count.Value);
        }

        Exposition.Header(sb, "aibrix:artifact_download_bytes_total", MetricType.Counter, "Bytes fetched by artifact downloads, by kind.");
        foreach (var (kind, count) in _downloadBytes.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Exposition.Sample(sb, "aibrix:artifact_download_bytes_total", [new("kind", kind)], count.Value);
        }

        var requests = _requests.OrderBy(p => p.Key).ToArray();
        Exposition.Header(sb, "aibrix:api_request_total", MetricType.Counter, "Requests to the runtime's API, by method, endpoint and status.");
        foreach (var ((method, endpoint, status), histogram) in requests)
        {
            Exposition.Sample(sb, "aibrix:api_request_total", Labels(method, endpoint, status), histogram.Snapshot().Count);
        }

        Exposition.Header(sb, "aibrix:api_request_latency", MetricType.Histogram, "Latency of requests to the runtime's API, seconds.");
        foreach (var ((method, endpoint, status), histogram) in requests)
        {
            var (counts, count, sum) = histogram.Snapshot();
            var labels = Labels(method, endpoint, status);
            long cumulative = 0;
            for (int i = 0; i < LatencyBuckets.Length; i++)
            {
                cumulative += counts[i];
                Exposition.Sample(sb, "aibrix:api_request_latency_bucket", [.. labels, new("le", Exposition.Number(LatencyBuckets[i]))], cumulative);
            }

            Exposition.Sample(sb, "aibrix:api_request_latency_bucket", [.. labels, new("le", "+Inf")], count);
            Exposition.Sample(sb, "aibrix:api_request_latency_sum", labels, sum);
            Exposition.Sample(sb, "aibrix:api_request_latency_count", labels, count);
        }
    }

    private static MetricLabel[] Labels(string method, string endpoint, int status) =>
        [new("method", method), new("endpoint", endpoint), new("status", status.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private sealed class Count
    {
        private long _value;

        public long Value => Interlocked.Read(ref _value);

        public void Add(long n) => Interlocked.Add(ref _value, n);
    }

    private sealed class Histogram(int buckets)
    {
        private readonly long[] _counts = new long[buckets];
        private readonly Lock _lock = new();
        private long _count;
        private double _sum;

        public void Observe(double value, double[] bounds)
        {
            lock (_lock)
            {
                int i = 0;
                while (i < bounds.Length && value > bounds[i])
                {
                    i++;
                }

                if (i < bounds.Length)
                {
                    _counts[i]++;
                }

                _count++;
                _sum += value;
            }
        }

        public (long[] Counts, long Count, double Sum) Snapshot()
        {
            lock (_lock)
            {
                return ((long[])_counts.Clone(), _count, _sum);
            }
        }
    }
}
