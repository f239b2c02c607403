using AIBrix.EngineSim;

namespace AIBrix.Runtime.Tests.Metrics;

public class MetricsEndpointTests
{
    private static double? Value(string exposition, string name, string? label = null, string? value = null) =>
        MetricStandardizerTests.Value(exposition, name, label, value);

    [Fact]
    public async Task Metrics_VllmSimulator_StandardNamesOriginalsAndOwnSeries()
    {
        await using var rt = await RuntimeUnderTest.StartAsync();
        await rt.GetAsync("/healthz");

        var (status, page) = await rt.GetAsync("/metrics");

        Assert.Equal(200, status);
        Assert.Equal(0, Value(page, "aibrix:queue_size"));
        Assert.NotNull(Value(page, "aibrix:gpu_cache_usage_perc"));
        Assert.NotNull(Value(page, "aibrix:time_to_first_token_seconds_count"));
        Assert.NotNull(Value(page, "vllm:num_requests_running")); // kept by default
        Assert.Equal(1, Value(page, "aibrix:engine_metrics_up"));
        Assert.Equal(1, Value(page, "aibrix:api_request_total", "endpoint", "/healthz"));
        // The whole page parses cleanly with the gateway's parser: no malformed lines, no family split in two.
        var set = AIBrix.EngineMetrics.PrometheusTextParser.ParseText(page);
        Assert.Equal(0, set.MalformedLineCount);
    }

    [Fact]
    public async Task Metrics_KeepOriginalFalse_OnlyAibrixSeries()
    {
        await using var rt = await RuntimeUnderTest.StartAsync(o => o with { KeepOriginalMetrics = false });

        var (_, page) = await rt.GetAsync("/metrics");

        Assert.NotNull(Value(page, "aibrix:queue_size"));
        Assert.DoesNotContain(page.Split('\n'), line => line.StartsWith("vllm:", StringComparison.Ordinal));
        Assert.Contains(page.Split('\n'), line => line.StartsWith("aibrix:queue_size", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_AutoEngineOnSglangPage_DetectsSglangAndRenames()
    {
        await using var rt = await RuntimeUnderTest.StartAsync(o => o with { Engine = null }, MetricsDialect.SGLang);

        var (_, page) = await rt.GetAsync("/metrics");

        Assert.NotNull(Value(page, "aibrix:queue_size"));
        Assert.Contains("(from sglang:num_queue_reqs)", page);
        Assert.NotNull(Value(page, "sglang:num_running_reqs"));
    }

    [Fact]
    public async Task Metrics_EngineMetricsBroken_StillAnswersWithOwnSeriesAndScrapeErrors()
    {
        await using var rt = await RuntimeUnderTest.StartAsync();
        rt.EngineInstance.Faults = new FaultSettings { MetricsDown = true };

        var (status, page) = await rt.GetAsync("/metrics");
        await rt.StopEngineAsync();
        var (statusDown, pageDown) = await rt.GetAsync("/metrics");

        Assert.Equal(200, status);
        Assert.Equal(1, Value(page, "aibrix:engine_scrape_errors_total", "reason", "http_status"));
        Assert.Equal(0, Value(page, "aibrix:engine_metrics_up"));
        Assert.Null(Value(page, "aibrix:queue_size"));
        Assert.Equal(200, statusDown);
        Assert.Equal(1, Value(pageDown, "aibrix:engine_scrape_errors_total", "reason", "unreachable"));
    }

    [Fact]
    public async Task Metrics_BurstWithinTheCacheTtl_EngineScrapedOnce()
    {
        await using var rt = await RuntimeUnderTest.StartAsync(o => o with { MetricsCacheTtl = TimeSpan.FromMinutes(5) });

        var pages = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => rt.GetAsync("/metrics")));

        Assert.All(pages, p => Assert.Equal(200, p.Status));
        Assert.Equal(1, Value(pages[^1].Body, "aibrix:engine_scrapes_total"));
    }
}
