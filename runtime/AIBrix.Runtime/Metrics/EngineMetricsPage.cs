using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AIBrix.EngineMetrics;
using AIBrix.Runtime.Engine;

namespace AIBrix.Runtime.Metrics;

/// <summary>
/// The engine's metrics as the runtime serves them: one scrape of the engine's page, parsed with the gateway's
/// parser and rewritten into <c>aibrix:*</c> series, kept for <see cref="RuntimeOptions.MetricsCacheTtl"/>. Concurrent
/// callers share one scrape (a burst of Prometheus scrapes reaches the engine once), and a failed scrape is cached
/// too, so a dead engine is not hammered. The scrape runs on its own deadline: one caller leaving does not fail it
/// for the others.
/// </summary>
internal sealed class EngineMetricsPage
{
    private const int MaxBodyBytes = 8 * 1024 * 1024;
    private static readonly MediaTypeWithQualityHeaderValue TextFormat = MediaTypeWithQualityHeaderValue.Parse("text/plain; version=0.0.4");

    private readonly HttpClient _http;
    private readonly EngineClient _engine;
    private readonly RuntimeOptions _options;
    private readonly RuntimeMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly PrometheusTextParser _parser = new();
    private readonly MetricFamilySet _families = new();
    private readonly MetricStandardizer _standardizer;
    private volatile RenderedPage? _last;
    private volatile object? _detected;

    public EngineMetricsPage(HttpClient http, EngineClient engine, RuntimeMetrics metrics, TimeProvider time)
    {
        _http = http;
        _engine = engine;
        _options = engine.Options;
        _metrics = metrics;
        _time = time;
        _standardizer = new MetricStandardizer(time);
    }

    /// <summary>The engine's family: configured, else read from its page (null until a page said).</summary>
    public EngineKind? Engine => _options.Engine ?? (EngineKind?)_detected;

    /// <summary>Scrapes the engine unless a fresh enough page is cached.</summary>
    public async Task<RenderedPage> GetAsync(CancellationToken cancellationToken)
    {
        if (_last is { } cached && IsFresh(cached))
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_last is { } again && IsFresh(again))
            {
                return again;
            }

            var page = await ScrapeAsync().ConfigureAwait(false);
            _last = page;
            return page;
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool IsFresh(RenderedPage page) => _time.GetElapsedTime(page.Timestamp) < _options.MetricsCacheTtl;

    private async Task<RenderedPage> ScrapeAsync()
    {
        long started = _time.GetTimestamp();
        _metrics.EngineScraped();
        string body;
        try
        {
            body = await FetchAsync().ConfigureAwait(false);
        }
        catch (ScrapeFailure failure)
        {
            _metrics.EngineScrapeFailed(failure.Reason);
            return RenderedPage.Failed(started, failure.Message);
        }

        _parser.Parse(body, _families);
        if (_options.Engine is null && StandardMetricRules.Detect(_families) is { } detected)
        {
            _detected = detected;
        }

        var standard = new StringBuilder();
        int families = 0;
        if (Engine is { } engine)
        {
            families = _standardizer.Write(standard, _families, engine);
        }

        if (families == 0)
        {
            _metrics.EngineScrapeFailed("no_engine_metrics");
        }

        string original = _options.KeepOriginalMetrics ? Normalise(body) : "";
        return new RenderedPage(started, standard.ToString(), original, families == 0 ? "no engine metrics recognised on the page" : null);
    }

    private async Task<string> FetchAsync()
    {
        var uri = _engine.Resolve(_options.MetricsPath);
        using var deadline = new CancellationTokenSource(_options.ScrapeTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Accept.Add(TextFormat);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new ScrapeFailure("http_status", $"GET {uri} answered {(int)response.StatusCode}");
            }

            if (response.Content.Headers.ContentLength > MaxBodyBytes)
            {
                throw new ScrapeFailure("too_large", $"GET {uri} answered {response.Content.Headers.ContentLength} bytes (limit {MaxBodyBytes})");
            }

            var stream = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var buffer = new MemoryStream();
                var chunk = new byte[64 * 1024];
                int read;
                while ((read = await stream.ReadAsync(chunk, deadline.Token).ConfigureAwait(false)) > 0)
                {
                    buffer.Write(chunk, 0, read);
                    if (buffer.Length > MaxBodyBytes)
                    {
                        throw new ScrapeFailure("too_large", $"GET {uri} answered more than {MaxBodyBytes} bytes");
                    }
                }

                return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            }
        }
        catch (OperationCanceledException)
        {
            throw new ScrapeFailure("timeout", $"GET {uri} did not answer within {_options.ScrapeTimeout.TotalMilliseconds:0} ms");
        }
        catch (HttpRequestException e)
        {
            throw new ScrapeFailure("unreachable", $"GET {uri} failed: {e.Message}");
        }
        catch (IOException e)
        {
            throw new ScrapeFailure("unreachable", $"GET {uri} failed while reading: {e.Message}");
        }
    }

    // The engine's own series go out as they came, minus an OpenMetrics "# EOF" that would end our page early.
    private static string Normalise(string body)
    {
        string text = body.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();
        if (text.EndsWith("# EOF", StringComparison.Ordinal))
        {
            text = text[..^"# EOF".Length].TrimEnd();
        }

        return text.Length == 0 ? "" : text + "\n";
    }

    private sealed class ScrapeFailure(string reason, string message) : Exception(message)
    {
        public string Reason { get; } = reason;
    }
}

/// <summary>One scrape as served: the <c>aibrix:*</c> text, the engine's original text, or why the scrape failed.</summary>
internal sealed record RenderedPage(long Timestamp, string Standard, string Original, string? Error)
{
    public static RenderedPage Failed(long timestamp, string error) => new(timestamp, "", "", error);
}
