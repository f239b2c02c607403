using AIBrix.Tests;

namespace AIBrix.EngineMetrics.Tests;

public class EngineMetricsClientTests
{
    private static readonly string VllmText = File.ReadAllText(TestData.PathOf("engine-metrics/vllm_v1_metrics.txt"));

    // A generous timeout where the test is not about timeouts: the first request of a cold test
    // process on a busy 2-core machine can take longer than a scrape should.
    private static readonly EngineMetricsClientOptions Options = new() { Timeout = TimeSpan.FromSeconds(2) };

    private static readonly EngineMetricsClientOptions ShortTimeout = Options with { Timeout = TimeSpan.FromMilliseconds(300) };

    private static ScrapeTarget Target(Uri uri) => new("pod-a", uri, EngineKind.Vllm);

    [Fact]
    public async Task ScrapeAsync_Status200_ReturnsMappedMetrics()
    {
        await using var server = new LoopbackMetricsServer { Behaviour = () => (200, VllmText, TimeSpan.Zero) };
        using var http = new HttpClient();
        var client = new EngineMetricsClient(http, Options);

        var outcome = await client.ScrapeAsync(Target(server.MetricsUri), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.FailureReason);
        Assert.Equal(23, outcome.Metrics!.Running);
        Assert.Equal(0.4375801282051282, outcome.Metrics.KvCacheUsage);
        Assert.Equal(0, outcome.MalformedLines);
    }

    [Fact]
    public async Task ScrapeAsync_Status500_FailsWithStatus()
    {
        await using var server = new LoopbackMetricsServer { Behaviour = () => (500, "boom", TimeSpan.Zero) };
        using var http = new HttpClient();
        var client = new EngineMetricsClient(http, Options);

        var outcome = await client.ScrapeAsync(Target(server.MetricsUri), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.StartsWith("HTTP 500", outcome.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScrapeAsync_ServerHangs_FailsWithTimeoutSoon()
    {
        await using var server = new LoopbackMetricsServer { Behaviour = () => (200, VllmText, TimeSpan.FromSeconds(10)) };
        using var http = new HttpClient();
        var client = new EngineMetricsClient(http, ShortTimeout);

        var outcome = await client.ScrapeAsync(Target(server.MetricsUri), CancellationToken.None);

        Assert.Equal("timed out after 300 ms", outcome.FailureReason);
        Assert.InRange(outcome.Duration, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task ScrapeAsync_ConnectionRefused_FailsWithRequestReason()
    {
        using var http = new HttpClient();
        var client = new EngineMetricsClient(http, Options);
        var nobody = new Uri($"http://127.0.0.1:{LoopbackMetricsServer.FreePort()}/metrics");

        var outcome = await client.ScrapeAsync(Target(nobody), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.StartsWith("request failed:", outcome.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScrapeAsync_UnsupportedScheme_FailsInsteadOfThrowing()
    {
        using var http = new HttpClient();
        var client = new EngineMetricsClient(http, Options);

        var outcome = await client.ScrapeAsync(Target(new Uri("ftp://127.0.0.1/metrics")), CancellationToken.None);

        Assert.StartsWith("cannot request ftp://127.0.0.1/metrics", outcome.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScrapeAsync_BodyOverCap_FailsWithCap()
    {
        await using var server = new LoopbackMetricsServer { Behaviour = () => (200, VllmText, TimeSpan.Zero) };
        using var http = new HttpClient();
        var client = new EngineMetricsClient(http, Options with { MaxBodyBytes = 4096 });

        var outcome = await client.ScrapeAsync(Target(server.MetricsUri), CancellationToken.None);

        Assert.Contains("exceeds the 4096-byte cap", outcome.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScrapeAsync_NoEngineMetrics_FailsAsUnrecognised()
    {
        await using var server = new LoopbackMetricsServer { Behaviour = () => (200, "go_goroutines 12\nbroken{\n", TimeSpan.Zero) };
        using var http = new HttpClient();
        var client = new EngineMetricsClient(http, Options);

        var outcome = await client.ScrapeAsync(Target(server.MetricsUri), CancellationToken.None);

        Assert.Equal("no Vllm metrics recognised in 1 samples (1 malformed lines)", outcome.FailureReason);
    }

    [Theory]
    [InlineData("vllm:num_requests_running{engine=\"0\"} +Inf", "running requests is Infinity")]
    [InlineData("vllm:num_requests_running{engine=\"0\"} 3\nvllm:num_requests_waiting{engine=\"0\"} -2", "waiting requests is -2")]
    [InlineData("vllm:num_requests_running{engine=\"0\"} 3\nvllm:kv_cache_usage_perc{engine=\"0\"} 7.5", "KV cache usage is 7.5")]
    [InlineData("vllm:num_requests_running{engine=\"0\"} -Inf", "running requests is -Infinity")]
    public async Task ScrapeAsync_InfiniteOrOutOfRangeLoad_FailsNamingTheValue(string text, string reason)
    {
        await using var server = new LoopbackMetricsServer { Behaviour = () => (200, text + "\n", TimeSpan.Zero) };
        using var http = new HttpClient();
        var client = new EngineMetricsClient(http, Options);

        var outcome = await client.ScrapeAsync(Target(server.MetricsUri), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.StartsWith(reason, outcome.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScrapeAsync_NaNSample_SkippedOthersKept()
    {
        const string text = "vllm:num_requests_running{engine=\"0\"} 4\nvllm:kv_cache_usage_perc{engine=\"0\"} NaN\n";
        await using var server = new LoopbackMetricsServer { Behaviour = () => (200, text, TimeSpan.Zero) };
        using var http = new HttpClient();
        var client = new EngineMetricsClient(http, Options);

        var outcome = await client.ScrapeAsync(Target(server.MetricsUri), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.FailureReason);
        Assert.Equal(4, outcome.Metrics!.Running);
        Assert.Null(outcome.Metrics.KvCacheUsage);
    }

    [Fact]
    public async Task ScrapeAsync_GarbageBytesAndHugeLines_FailsNotThrows()
    {
        var random = new Random(5);
        var garbage = new char[200_000];
        for (int i = 0; i < garbage.Length; i++)
        {
            garbage[i] = (char)random.Next(1, 0x7f);
        }

        await using var server = new LoopbackMetricsServer { Behaviour = () => (200, new string(garbage), TimeSpan.Zero) };
        using var http = new HttpClient();
        var client = new EngineMetricsClient(http, Options);

        var outcome = await client.ScrapeAsync(Target(server.MetricsUri), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.StartsWith("no Vllm metrics recognised", outcome.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScrapeAsync_DuplicateSeries_FailsNamingTheSeries()
    {
        // Two exporters writing one page: the running count appears twice (summing would report 46).
        string page = VllmText + "vllm:num_requests_running{model_name=\"meta-llama/Llama-3.1-8B-Instruct\",engine=\"0\"} 23\n";
        await using var server = new LoopbackMetricsServer { Behaviour = () => (200, page, TimeSpan.Zero) };
        using var http = new HttpClient();
        var client = new EngineMetricsClient(http, Options);

        var outcome = await client.ScrapeAsync(Target(server.MetricsUri), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.StartsWith("1 duplicate series on the page (first: vllm:num_requests_running{", outcome.FailureReason, StringComparison.Ordinal);
        Assert.Contains("not summed", outcome.FailureReason, StringComparison.Ordinal);
    }
}
