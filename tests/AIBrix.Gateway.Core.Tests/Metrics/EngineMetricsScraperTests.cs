using AIBrix.EngineMetrics;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.EngineMetrics.Tests;
using AIBrix.Gateway.Core.Metrics;
using AIBrix.Tests;

namespace AIBrix.Gateway.Core.Tests.Metrics;

public class EngineMetricsScraperTests
{
    private static readonly string VllmText = File.ReadAllText(TestData.PathOf("engine-metrics/vllm_v1_metrics.txt"));

    // A generous timeout where the test is not about timeouts: the first request of a cold test
    // process on a busy 2-core machine can take longer than a scrape should.
    private static readonly ScrapeOptions FastOptions = new() { Interval = TimeSpan.FromMilliseconds(20), Timeout = TimeSpan.FromSeconds(2) };

    private static ScrapeTarget Target(Uri uri) => new("pod-a", uri, EngineKind.Vllm);

    [Fact]
    public async Task RunAsync_ServerSucceedsThenFails_ReportsSuccessThenEachFailureReason()
    {
        var server = new LoopbackMetricsServer { Behaviour = () => (200, VllmText, TimeSpan.Zero) };
        using var http = new HttpClient();
        using var scraper = new EngineMetricsScraper(http, FastOptions);
        var sink = new RecordingSink();
        using var cts = new CancellationTokenSource();
        var target = Target(server.MetricsUri);
        var run = scraper.RunAsync(() => [target], sink, cts.Token);

        int ok = await sink.WaitForAsync(c => c.Metrics?.Running == 23);
        server.Behaviour = () => (500, "", TimeSpan.Zero);
        int status = await sink.WaitForAsync(c => c.Reason?.StartsWith("HTTP 500", StringComparison.Ordinal) == true, ok);
        server.Behaviour = () => (200, VllmText, TimeSpan.FromSeconds(10));
        int timeout = await sink.WaitForAsync(c => c.Reason?.StartsWith("timed out", StringComparison.Ordinal) == true, status);
        await server.DisposeAsync();
        int refused = await sink.WaitForAsync(c => c.Reason?.StartsWith("request failed", StringComparison.Ordinal) == true, timeout);
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(0, ok);
        Assert.True(ok < status && status < timeout && timeout < refused);
        Assert.All(sink.Calls.Skip(status), c => Assert.Null(c.Metrics)); // after the first failure nothing reads as fresh metrics
        Assert.All(sink.Calls, c => Assert.Equal("pod-a", c.Endpoint));
    }

    [Fact]
    public async Task RunAsync_SlowTarget_NeverOverlapsScrapesOfOneTarget()
    {
        await using var server = new LoopbackMetricsServer { Behaviour = () => (200, VllmText, TimeSpan.FromMilliseconds(150)) };
        using var http = new HttpClient();
        using var scraper = new EngineMetricsScraper(http, FastOptions with { Timeout = TimeSpan.FromSeconds(2) });
        var sink = new RecordingSink();
        using var cts = new CancellationTokenSource();
        var target = Target(server.MetricsUri);

        var run = scraper.RunAsync(() => [target], sink, cts.Token);
        await sink.WaitForAsync(c => c.Metrics is not null);
        await sink.WaitForAsync(c => c.Metrics is not null, after: 1);
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(1, server.MaxConcurrentRequests); // 20 ms ticks against 150 ms responses would overlap otherwise
        Assert.True(server.Requests >= 2, $"{server.Requests} requests");
    }

    [Fact]
    public async Task RunAsync_TwoTargets_ScrapesBoth()
    {
        await using var server = new LoopbackMetricsServer { Behaviour = () => (200, VllmText, TimeSpan.Zero) };
        using var http = new HttpClient();
        using var scraper = new EngineMetricsScraper(http, FastOptions);
        var sink = new RecordingSink();
        using var cts = new CancellationTokenSource();
        ScrapeTarget[] targets = [Target(server.MetricsUri), new("pod-b", server.MetricsUri, EngineKind.Vllm)];

        var run = scraper.RunAsync(() => targets, sink, cts.Token);
        await sink.WaitForAsync(c => c.Endpoint == "pod-a");
        await sink.WaitForAsync(c => c.Endpoint == "pod-b");
        await cts.CancelAsync();

        await run.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(run.IsCompletedSuccessfully);
    }

    [Fact]
    public void Constructor_InvalidOptions_ReportsEveryProblem()
    {
        using var http = new HttpClient();
        var bad = new ScrapeOptions { Interval = TimeSpan.Zero, Timeout = TimeSpan.FromSeconds(-1), MaxConcurrency = 0 };

        var e = Assert.Throws<ArgumentException>(() => new EngineMetricsScraper(http, bad));

        Assert.Contains("Interval", e.Message, StringComparison.Ordinal);
        Assert.Contains("Timeout", e.Message, StringComparison.Ordinal);
        Assert.Contains("MaxConcurrency", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EffectiveStaleAfter_Defaults_IsAtLeastOneTimeout()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), new ScrapeOptions().EffectiveStaleAfter);
        Assert.Equal(TimeSpan.FromSeconds(30), new ScrapeOptions { Interval = TimeSpan.FromSeconds(10) }.EffectiveStaleAfter);
        Assert.Equal(TimeSpan.FromSeconds(2), new ScrapeOptions { StaleAfter = TimeSpan.FromSeconds(2) }.EffectiveStaleAfter);
    }
}
