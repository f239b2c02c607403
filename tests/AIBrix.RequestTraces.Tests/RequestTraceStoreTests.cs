using AIBrix.Gateway.Redis.Tests;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

using AIBrix.GpuOptimizer;

namespace AIBrix.RequestTraces.Tests;

public sealed class RequestTraceStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_764_000_000);
    private RedisServer _server = null!;
    private ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartAsync();
        _redis = await ConnectionMultiplexer.ConnectAsync(_server.HostPort);
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task PublishAsync_WritesAIBrixKeyAndFields_WithTenMinuteExpiry()
    {
        var recorder = new RequestTraceRecorder();
        for (int i = 0; i < 3; i++)
        {
            recorder.Record("llama", 1024, 128);
        }

        recorder.Record("llama", 100, 10);
        var publisher = new RequestTracePublisher(recorder, new RedisRequestTraceStore(_redis), TimeProvider.System, TimeSpan.FromSeconds(10));

        Assert.Equal(1, await publisher.PublishAsync(Start));

        var db = _redis.GetDatabase();
        string key = $"aibrix:llama_request_trace_{Start.ToUnixTimeSeconds()}";
        string json = (await db.StringGetAsync(key)).ToString();
        // log2(1024) = 10 and log2(128) = 7 at precision 10; log2(100) = 6.64 -> 66, log2(10) = 3.32 -> 33.
        Assert.Equal("{\"66:33\":1,\"100:70\":3,\"meta_v\":3,\"meta_interval_sec\":10,\"meta_precision\":10,\"meta_total_reqs\":4,\"meta_pending_reqs\":0}", json);
        var ttl = await db.KeyTimeToLiveAsync(key);
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
        Assert.Equal(0, await publisher.PublishAsync(Start.AddSeconds(10)));
    }

    [Fact]
    public async Task ReadAsync_SlidingWindow_LoadOnTheProfileGrid()
    {
        var store = new RedisRequestTraceStore(_redis);
        var recorder = new RequestTraceRecorder();
        for (int i = 0; i < 6; i++)
        {
            recorder.Record("m", 1000, 120);
        }

        await store.WriteAsync("m", Start, recorder.Drain(10)[0].Trace);
        recorder.Record("m", 5000, 500);
        recorder.Record("m", 5000, 500);
        await store.WriteAsync("m", Start.AddSeconds(10), recorder.Drain(10)[0].Trace);
        recorder.Record("m", 100, 100);
        await store.WriteAsync("m", Start.AddSeconds(20), recorder.Drain(10)[0].Trace); // outside the window
        await store.WriteAsync("other", Start, new RequestTrace(new Dictionary<(int, int), int> { [(100, 70)] = 9 }, 10, 10, 9, 0));

        var (traces, errors) = await store.ReadAsync("m", Start, Start.AddSeconds(20), TimeSpan.FromSeconds(10));

        Assert.Empty(errors);
        Assert.Equal(2, traces.Count);
        var grid = new BucketGrid([128, 512], [1024, 4096]);
        var load = LoadHistogram.FromCounts(grid, traces.SelectMany(t => t.Buckets()), TimeSpan.FromSeconds(20));
        Assert.Equal(6 / 20.0, load.Rates[0, 0], 9);
        Assert.Equal(2 / 20.0, load.Rates[1, 1], 9);
        Assert.Equal(8 / 20.0, load.TotalRate, 9);
    }

    [Fact]
    public async Task ReadAsync_AIBrixVersion2AndBrokenKeys_ReadsOneReportsTheOther()
    {
        var db = _redis.GetDatabase();
        await db.StringSetAsync($"aibrix:m2_request_trace_{Start.ToUnixTimeSeconds()}", "{\"100:70\":4,\"meta_v\":2,\"meta_precision\":10,\"meta_interval_sec\":10}");
        await db.StringSetAsync($"aibrix:m2_request_trace_{Start.ToUnixTimeSeconds() + 10}", "{\"100-70\":4}");

        var (traces, errors) = await new RedisRequestTraceStore(_redis).ReadAsync("m2", Start, Start.AddSeconds(20), TimeSpan.FromSeconds(10));

        var trace = Assert.Single(traces);
        Assert.Equal(4, trace.TotalRequests);
        Assert.Equal(1024, trace.TokensOf(100), 6);
        string error = Assert.Single(errors);
        Assert.Equal($"aibrix:m2_request_trace_{Start.ToUnixTimeSeconds() + 10}: '100-70' is not a bucket (\"<log2 input>:<log2 output>\") or a meta_ field", error);
    }

    [Fact]
    public async Task RunAsync_AtEachIntervalEnd_WritesUnderTheIntervalStart()
    {
        var time = new FakeTimeProvider(Start.AddSeconds(3));
        var recorder = new RequestTraceRecorder();
        var publisher = new RequestTracePublisher(recorder, new RedisRequestTraceStore(_redis), time, TimeSpan.FromSeconds(10));
        using var stop = new CancellationTokenSource();
        var loop = publisher.RunAsync(null, stop.Token);
        recorder.Record("loop", 2048, 256);

        time.Advance(TimeSpan.FromSeconds(7));
        string key = $"aibrix:loop_request_trace_{Start.ToUnixTimeSeconds()}";
        var db = _redis.GetDatabase();
        for (int i = 0; i < 500 && !await db.KeyExistsAsync(key); i++)
        {
            await Task.Delay(10);
        }

        Assert.Contains("\"110:80\":1", (await db.StringGetAsync(key)).ToString(), StringComparison.Ordinal);
        await stop.CancelAsync();
        await loop;
    }
}
