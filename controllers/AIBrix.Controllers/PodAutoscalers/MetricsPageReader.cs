using System.Collections.Concurrent;
using System.Net;
using AIBrix.EngineMetrics;

namespace AIBrix.Controllers.PodAutoscalers;

/// <summary>
/// Fetches a Prometheus text page over HTTP and reads one value from it. Every failure (status, timeout, refused
/// connection, oversized page, missing metric) is a reason, never a zero: the caller leaves that pod or endpoint out.
/// Parsers are pooled, so thousands of scrapes a round reuse their intern tables and family sets.
/// </summary>
internal sealed class MetricsPageReader(HttpClient http, TimeSpan timeout)
{
    /// <summary>Largest page read (a vLLM page is about 40 KB).</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    private readonly ConcurrentBag<(PrometheusTextParser Parser, MetricFamilySet Families)> _parsers = [];

    /// <summary>The value <paramref name="read"/> finds on the page at <paramref name="uri"/>, or why there is none.</summary>
    public async Task<MetricRead> ReadAsync(Uri uri, Func<MetricFamilySet, double?> read, CancellationToken cancellationToken)
    {
        // A wall-clock deadline on purpose: it bounds real I/O, and a test's virtual clock must not stall it.
        using var deadline = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        byte[] body;
        try
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return MetricRead.Failed($"{uri}: HTTP {(int)response.StatusCode}");
            }

            if (response.Content.Headers.ContentLength > MaxBytes)
            {
                return MetricRead.Failed($"{uri}: page larger than {MaxBytes} bytes");
            }

            body = await response.Content.ReadAsByteArrayAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return MetricRead.Failed($"{uri}: timed out after {timeout.TotalMilliseconds:0} ms");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException)
        {
            return MetricRead.Failed($"{uri}: {e.Message}");
        }

        if (body.Length > MaxBytes)
        {
            return MetricRead.Failed($"{uri}: page larger than {MaxBytes} bytes");
        }

        if (!_parsers.TryTake(out var state))
        {
            state = (new PrometheusTextParser(), new MetricFamilySet());
        }

        try
        {
            state.Parser.ParseUtf8(body, state.Families);
            if (state.Families.DuplicateSeriesError is { } duplicates)
            {
                return MetricRead.Failed($"{uri}: {duplicates}");
            }

            return read(state.Families) is { } value && double.IsFinite(value)
                ? MetricRead.Of(value)
                : MetricRead.Failed($"{uri}: metric missing or not a number");
        }
        finally
        {
            _parsers.Add(state);
        }
    }
}

/// <summary>A value read from a metrics page, or the reason there is none.</summary>
internal readonly record struct MetricRead(double Value, string? Error)
{
    public bool Succeeded => Error is null;

    public static MetricRead Of(double value) => new(value, null);

    public static MetricRead Failed(string error) => new(0, error);
}
