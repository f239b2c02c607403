using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AIBrix.EngineMetrics;

/// <summary>
/// Scrapes one engine: HTTP GET of its <c>/metrics</c> page, parse, map onto <see cref="EngineMetricsSnapshot"/>.
/// Every failure (status, timeout, refused connection, oversized or unrecognisable body) comes back as a failed
/// <see cref="ScrapeOutcome"/> with a reason, never as idle metrics; only the caller's cancellation throws.
/// Safe to share: parsers are pooled, so a warm scrape allocates little beyond the mapped result.
/// Scheduling (intervals, concurrency, what to do with a result) is the caller's.
/// </summary>
public sealed partial class EngineMetricsClient
{
    private static readonly MediaTypeWithQualityHeaderValue TextFormat = MediaTypeWithQualityHeaderValue.Parse("text/plain; version=0.0.4");

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentBag<ParserState> _parsers = [];

    /// <summary>Creates a client; <paramref name="options"/> are validated and every problem is reported at once.</summary>
    public EngineMetricsClient(HttpClient httpClient, EngineMetricsClientOptions? options = null, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        Options = options ?? new EngineMetricsClientOptions();
        var errors = Options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid scrape options: " + string.Join(" ", errors), nameof(options));
        }

        _http = httpClient;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The options in force.</summary>
    public EngineMetricsClientOptions Options { get; }

    /// <summary>Scrapes <paramref name="target"/> now. Failures are returned as outcomes; only cancellation throws.</summary>
    public async ValueTask<ScrapeOutcome> ScrapeAsync(ScrapeTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        long started = _time.GetTimestamp();
        using var timeout = new CancellationTokenSource(Options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, target.MetricsUri);
            request.Headers.Accept.Add(TextFormat);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return Fail(target, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd(), started);
            }

            long? declared = response.Content.Headers.ContentLength;
            if (declared > Options.MaxBodyBytes)
            {
                return Fail(target, $"body of {declared} bytes exceeds the {Options.MaxBodyBytes}-byte cap", started);
            }

            var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var body = await PooledBody.ReadAsync(stream, declared, Options.MaxBodyBytes, linked.Token).ConfigureAwait(false);
                return body.TooLarge
                    ? Fail(target, $"body exceeds the {Options.MaxBodyBytes}-byte cap", started)
                    : ParseAndMap(target, body.Span, started);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Fail(target, $"timed out after {Options.Timeout.TotalMilliseconds:0} ms", started);
        }
        catch (HttpRequestException e)
        {
            return Fail(target, $"request failed: {e.Message}", started);
        }
        catch (IOException e)
        {
            return Fail(target, $"reading the body failed: {e.Message}", started);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException)
        {
            return Fail(target, $"cannot request {target.MetricsUri}: {e.Message}", started); // bad scheme or relative URI
        }
    }

    private static string? Implausible(EngineMetricsSnapshot metrics)
    {
        static string? Check(string what, double? value, double max) =>
            value is { } v && !(v >= 0 && v <= max + 1e-9)
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{what} is {v}: not a finite value in [0, {max}]")
                : null;

        return Check("running requests", metrics.Running, double.MaxValue)
            ?? Check("waiting requests", metrics.Waiting, double.MaxValue)
            ?? Check("KV cache usage", metrics.KvCacheUsage, 1)
            ?? Check("CPU KV cache usage", metrics.CpuKvCacheUsage, 1);
    }

    private ScrapeOutcome ParseAndMap(ScrapeTarget target, ReadOnlySpan<byte> body, long started)
    {
        if (!_parsers.TryTake(out var state))
        {
            state = new ParserState();
        }

        try
        {
            state.Parser.ParseUtf8(body, state.Families);
            if (state.Families.DuplicateSeriesError is { } duplicates)
            {
                // Which of two samples of one series is right cannot be known: the endpoint keeps its last good
                // values until they go stale, and the failure (with the series) shows on the status page and metrics.
                return Fail(target, duplicates, started);
            }

            var metrics = EngineMetricsMapper.Map(state.Families, target.Engine, out int recognised);
            int malformed = state.Families.MalformedLineCount;
            if (recognised == 0)
            {
                return Fail(target, $"no {target.Engine} metrics recognised in {state.Families.SampleCount} samples ({malformed} malformed lines)", started);
            }

            if (Implausible(metrics) is { } implausible)
            {
                // A load signal routing would compare (NaN is skipped when read, but ±Inf or a negative count is not):
                // the endpoint keeps its last good values until they go stale, and the status page shows why.
                return Fail(target, implausible, started);
            }

            if (malformed > 0)
            {
                Log.MalformedLines(_logger, target.EndpointName, malformed, state.Families.Errors[0].Reason);
            }

            return new ScrapeOutcome
            {
                EndpointName = target.EndpointName,
                Metrics = metrics,
                At = _time.GetUtcNow(),
                Duration = _time.GetElapsedTime(started),
                MalformedLines = malformed,
            };
        }
        finally
        {
            _parsers.Add(state);
        }
    }

    private ScrapeOutcome Fail(ScrapeTarget target, string reason, long started) =>
        ScrapeOutcome.Failure(target.EndpointName, reason, _time.GetUtcNow(), _time.GetElapsedTime(started));

    private sealed class ParserState
    {
        public PrometheusTextParser Parser { get; } = new();

        public MetricFamilySet Families { get; } = new();
    }

    private static partial class Log
    {
        [LoggerMessage(2, LogLevel.Debug, "Scrape of {Endpoint} skipped {Count} malformed lines; first: {Reason}")]
        public static partial void MalformedLines(ILogger logger, string endpoint, int count, string reason);
    }
}
