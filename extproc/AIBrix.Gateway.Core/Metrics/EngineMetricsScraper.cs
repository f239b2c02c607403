using AIBrix.EngineMetrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AIBrix.Gateway.Core.Metrics;

/// <summary>
/// Scrapes engines' <c>/metrics</c> pages on an interval and reports each result to an <see cref="IScrapeSink"/>;
/// each scrape is an <see cref="EngineMetricsClient"/> call (AIBrix.EngineMetrics), this class is the schedule.
/// Scrapes run with bounded concurrency and a per-request timeout; a target whose previous scrape is still in
/// flight skips the round, so one slow pod never piles up requests. Every failure (status, timeout, refused
/// connection, oversized or unrecognisable body) is reported as a failure with a reason, never as idle metrics.
/// </summary>
public sealed partial class EngineMetricsScraper : IDisposable
{
    private readonly EngineMetricsClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate;

    /// <summary>Creates a scraper; <paramref name="options"/> are validated and every problem is reported at once.</summary>
    public EngineMetricsScraper(HttpClient httpClient, ScrapeOptions? options = null, TimeProvider? timeProvider = null, ILogger<EngineMetricsScraper>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        Options = options ?? new ScrapeOptions();
        var errors = Options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid scrape options: " + string.Join(" ", errors), nameof(options));
        }

        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _client = new EngineMetricsClient(httpClient, Options.Client, _time, _logger);
        _gate = new SemaphoreSlim(Options.MaxConcurrency, Options.MaxConcurrency);
    }

    /// <summary>The options in force.</summary>
    public ScrapeOptions Options { get; }

    /// <summary>
    /// Scrapes the targets <paramref name="targets"/> returns, every <see cref="ScrapeOptions.Interval"/>, until
    /// <paramref name="cancellationToken"/> is cancelled; then waits for scrapes in flight and returns.
    /// </summary>
    public async Task RunAsync(Func<IReadOnlyList<ScrapeTarget>> targets, IScrapeSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(sink);
        var inFlight = new Dictionary<string, Task>(StringComparer.Ordinal);
        var finished = new List<string>();
        using var timer = new PeriodicTimer(Options.Interval, _time);
        try
        {
            do
            {
                StartRound(targets, sink, inFlight, finished, cancellationToken);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping is the normal way out
        }
        finally
        {
            await Task.WhenAll(inFlight.Values).ConfigureAwait(false); // each task handles its own exceptions
        }
    }

    /// <summary>Scrapes one target now. Failures are returned as outcomes; only cancellation throws.</summary>
    public ValueTask<ScrapeOutcome> ScrapeOnceAsync(ScrapeTarget target, CancellationToken cancellationToken) =>
        _client.ScrapeAsync(target, cancellationToken);

    /// <inheritdoc/>
    public void Dispose() => _gate.Dispose();

    private ScrapeOutcome Fail(ScrapeTarget target, string reason, long started) =>
        ScrapeOutcome.Failure(target.EndpointName, reason, _time.GetUtcNow(), _time.GetElapsedTime(started));

    private void StartRound(
        Func<IReadOnlyList<ScrapeTarget>> targets, IScrapeSink sink, Dictionary<string, Task> inFlight, List<string> finished, CancellationToken ct)
    {
        IReadOnlyList<ScrapeTarget> current;
        try
        {
            current = targets();
        }
        catch (Exception e)
        {
            Log.TargetsFailed(_logger, e);
            return;
        }

        finished.Clear();
        foreach (var (name, task) in inFlight)
        {
            if (task.IsCompleted)
            {
                finished.Add(name);
            }
        }

        foreach (string name in finished)
        {
            inFlight.Remove(name);
        }

        foreach (var target in current)
        {
            if (inFlight.ContainsKey(target.EndpointName))
            {
                continue; // the previous scrape of this target is still running: never overlap
            }

            inFlight[target.EndpointName] = ScrapeAndReportAsync(target, sink, ct);
        }
    }

    private async Task ScrapeAndReportAsync(ScrapeTarget target, IScrapeSink sink, CancellationToken ct)
    {
        try
        {
            await _gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                ScrapeOutcome outcome;
                try
                {
                    outcome = await ScrapeOnceAsync(target, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // anything unforeseen still reaches the registry as a failure, so the pod goes stale
                    outcome = Fail(target, $"scrape error: {e.GetType().Name}: {e.Message}", _time.GetTimestamp());
                }

                if (outcome.Metrics is { } metrics)
                {
                    sink.OnScraped(target.EndpointName, metrics, outcome.At);
                }
                else
                {
                    Log.ScrapeFailed(_logger, target.EndpointName, target.MetricsUri, outcome.FailureReason);
                    sink.OnScrapeFailed(target.EndpointName, outcome.FailureReason ?? "unknown failure", outcome.At);
                }
            }
            finally
            {
                _gate.Release();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // shutting down
        }
        catch (Exception e)
        {
            Log.ReportFailed(_logger, target.EndpointName, e); // a throwing sink must not stop the loop
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Scrape of {Endpoint} ({Uri}) failed: {Reason}")]
        public static partial void ScrapeFailed(ILogger logger, string endpoint, Uri uri, string? reason);

        [LoggerMessage(3, LogLevel.Warning, "Listing scrape targets failed; skipping this round")]
        public static partial void TargetsFailed(ILogger logger, Exception exception);

        [LoggerMessage(4, LogLevel.Warning, "Reporting the scrape of {Endpoint} failed")]
        public static partial void ReportFailed(ILogger logger, string endpoint, Exception exception);
    }
}
