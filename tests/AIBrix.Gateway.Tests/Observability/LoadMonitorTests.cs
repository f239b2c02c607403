using System.Text;
using System.Text.Json;
using AIBrix.EngineSim;
using AIBrix.Gateway.Hosting;
using AIBrix.Gateway.Redis.Tests;
using AIBrix.Gateway.Tests.Infrastructure;
using AIBrix.RequestTraces;
using StackExchange.Redis;

namespace AIBrix.Gateway.Tests.Observability;

/// <summary>The load monitor end to end: requests through the standalone gateway become AIBrix request traces in a real Redis.</summary>
public sealed class LoadMonitorTests
{
    private const string Model = "trace-model";

    [Fact]
    public async Task LoadMonitor_CompletedRequests_WrittenAsAIBrixTraces()
    {
        await using var redisServer = await RedisServer.StartAsync();
        await using var sims = await SimulatorHost.StartAsync(new SimulatorOptions { Instances = 1, Port = 0, Model = Model, TimeScale = 50, Seed = 3 });
        string config = GatewayTestHost.ConfigFor([$"127.0.0.1:{sims.Instances[0].Port}"], Model, extra: $"redis: \"{redisServer.HostPort}\"\n");
        await using var gateway = await GatewayTestHost.StartAsync(config, standalone: true, extraArgs: ["--load-monitor", "--load-monitor-interval", "1"]);
        var expected = new Dictionary<(int, int), int>();
        for (int i = 0; i < 3; i++)
        {
            using var response = await gateway.Http.PostAsync("/v1/chat/completions", new StringContent(SimFleetFixture.Chat("hello there", maxTokens: 5 + i, model: Model), Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var usage = body.RootElement.GetProperty("usage");
            var bucket = RequestTrace.BucketOf(usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("completion_tokens").GetInt32());
            expected[bucket] = expected.GetValueOrDefault(bucket) + 1;
        }

        await using var redis = await ConnectionMultiplexer.ConnectAsync(redisServer.HostPort);
        var store = new RedisRequestTraceStore(redis);
        var counts = new Dictionary<(int, int), int>();
        int total = 0;
        var started = DateTimeOffset.UtcNow.AddMinutes(-1);
        for (int attempt = 0; attempt < 200 && total < 3; attempt++)
        {
            await Task.Delay(50);
            var (traces, errors) = await store.ReadAsync(Model, started, DateTimeOffset.UtcNow.AddSeconds(1), TimeSpan.FromSeconds(1));
            Assert.Empty(errors);
            counts = traces.SelectMany(t => t.Counts).GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Sum(c => c.Value));
            total = traces.Sum(t => t.TotalRequests);
            Assert.All(traces, t => Assert.Equal((1, 10), (t.IntervalSeconds, t.Precision)));
        }

        Assert.Equal(3, total);
        Assert.Equal(expected, counts);
    }

    [Fact]
    public void Build_LoadMonitorWithoutRedis_ConfigError()
    {
        string path = Path.GetTempFileName();
        File.WriteAllText(path, GatewayTestHost.ConfigFor(["127.0.0.1:1"], Model));
        try
        {
            var cli = GatewayCommandLine.Parse(["standalone", "--config", path, "--port", "0", "--load-monitor"]);
            Assert.Empty(cli.Errors);

            var error = Assert.Throws<InvalidConfigException>(() => GatewayHost.Build(cli));

            Assert.Equal("--load-monitor writes request traces to Redis: set redis: HOST:PORT in the config", Assert.Single(error.Errors));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
