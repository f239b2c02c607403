using AIBrix.EngineMetrics;
using AIBrix.Gateway.Core.Config;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing.Prefix;

namespace AIBrix.Gateway.Core.Tests.Config;

public class GatewayConfigLoaderTests
{
    private static readonly Func<string, bool> Known = name => name is "random" or "least-request";

    [Fact]
    public void Parse_FullConfig_ReadsEveryField()
    {
        const string yaml = """
            endpoints:
              - name: pod-a
                address: 10.0.0.1:8000
                model: llama
                engine: sglang
                metricsPort: 9000
                labels: {zone: a, gpu: h100}
                adapters: [sql-lora, chat-lora]
              - name: pod-b
                address: "[::1]:8001"
                model: llama
            routing:
              defaultStrategy: least-request
            metrics:
              scrapeIntervalMs: 100
              scrapeTimeoutMs: 500
            redis: 127.0.0.1:6379
            """;

        var result = GatewayConfigLoader.Parse(yaml, "test.yaml", Known);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var config = result.Config!;
        Assert.Equal(2, config.Endpoints.Count);
        var a = config.Endpoints[0];
        Assert.Equal(("pod-a", "10.0.0.1:8000", "llama", EngineKind.Sglang, 9000), (a.Name, a.Address, a.Model, a.Engine, a.MetricsPort));
        Assert.Equal("h100", a.Labels["gpu"]);
        Assert.Equal(["sql-lora", "chat-lora"], a.Adapters);
        Assert.Equal(new Uri("http://10.0.0.1:9000/metrics"), a.MetricsUri);
        Assert.Equal(new Uri("http://[::1]:8001/metrics"), config.Endpoints[1].MetricsUri);
        Assert.Equal(EngineKind.Vllm, config.Endpoints[1].Engine);
        Assert.Equal("least-request", config.DefaultStrategy);
        Assert.Equal(TimeSpan.FromMilliseconds(100), config.ScrapeInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(500), config.ScrapeTimeout);
        Assert.Equal("127.0.0.1:6379", config.Redis);
    }

    [Fact]
    public void Parse_ManyProblems_ListsEveryOne()
    {
        const string yaml = """
            endpoints:
              - name: a
                address: localhost:8000
                model: llama
              - name: a
                address: 10.0.0.2
                engine: tgi
                metricsPort: 70000
              - address: 10.0.0.3:8000
                model: llama
            routing:
              defaultStrategy: fastest
            metrics:
              scrapeIntervalMs: 1
            """;

        var result = GatewayConfigLoader.Parse(yaml, "bad.yaml", Known);

        Assert.False(result.IsValid);
        string all = string.Join("\n", result.Errors);
        Assert.Contains("endpoints[0].address: 'localhost:8000'", all, StringComparison.Ordinal);
        Assert.Contains("endpoints[1].name: 'a' is used by another endpoint", all, StringComparison.Ordinal);
        Assert.Contains("endpoints[1].address: '10.0.0.2'", all, StringComparison.Ordinal);
        Assert.Contains("endpoints[1].model: required", all, StringComparison.Ordinal);
        Assert.Contains("endpoints[1].engine: 'tgi'", all, StringComparison.Ordinal);
        Assert.Contains("endpoints[1].metricsPort: 70000", all, StringComparison.Ordinal);
        Assert.Contains("endpoints[2].name: required", all, StringComparison.Ordinal);
        Assert.Contains("unknown strategy 'fastest'", all, StringComparison.Ordinal);
        Assert.Contains("metrics.scrapeIntervalMs: 1", all, StringComparison.Ordinal);
        Assert.All(result.Errors, e => Assert.StartsWith("bad.yaml", e, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_UnknownKey_ReportsLine()
    {
        var result = GatewayConfigLoader.Parse("endpoints:\n  - name: a\n    adress: 10.0.0.1:8000\n", "typo.yaml", Known);

        Assert.False(result.IsValid);
        Assert.StartsWith("typo.yaml:3:", result.Errors.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyFile_NeedsEndpoints()
    {
        var result = GatewayConfigLoader.Parse("", "empty.yaml", Known);

        Assert.Contains("at least one endpoint", result.Errors.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EndpointsDiscovered_TakesSettingsWithoutEndpoints()
    {
        const string yaml = """
            routing: {defaultStrategy: random}
            redis: redis.aibrix-system:6379
            auth: {mode: apikey}
            """;

        var result = GatewayConfigLoader.Parse(yaml, "k8s.yaml", Known, endpointsDiscovered: true);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Empty(result.Config!.Endpoints);
        Assert.Equal(("random", "redis.aibrix-system:6379"), (result.Config.DefaultStrategy, result.Config.Redis));
        Assert.Equal(AIBrix.Gateway.Core.Limits.AuthMode.ApiKey, result.Config.Auth.Mode);
    }

    [Fact]
    public void Parse_AuthKeyCache_ReadAndRangeChecked()
    {
        const string endpoints = "endpoints:\n  - {name: a, address: \"10.0.0.1:8000\", model: m}\n";

        var good = GatewayConfigLoader.Parse(endpoints + "auth: {mode: apikey, keyCacheSeconds: 0, keyStaleIfErrorSeconds: 60}\n", "a.yaml", Known);
        var bad = GatewayConfigLoader.Parse(endpoints + "auth: {mode: apikey, keyCacheSeconds: -1, keyStaleIfErrorSeconds: 100000}\n", "b.yaml", Known);
        var defaults = GatewayConfigLoader.Parse(endpoints + "auth: {mode: apikey}\n", "c.yaml", Known);

        Assert.True(good.IsValid, string.Join("\n", good.Errors));
        Assert.Equal((TimeSpan.Zero, TimeSpan.FromSeconds(60)), (good.Config!.Auth.KeyCacheTtl, good.Config.Auth.KeyStaleIfError));
        Assert.Contains(bad.Errors, e => e.Contains("auth.keyCacheSeconds: -1 is outside 0-3600", StringComparison.Ordinal));
        Assert.Contains(bad.Errors, e => e.Contains("auth.keyStaleIfErrorSeconds: 100000 is outside 0-86400", StringComparison.Ordinal));
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5)), (defaults.Config!.Auth.KeyCacheTtl, defaults.Config.Auth.KeyStaleIfError));
    }

    [Fact]
    public void Parse_EndpointsDiscovered_RejectsAStaticList()
    {
        const string yaml = """
            endpoints:
              - {name: a, address: "10.0.0.1:8000", model: m}
            """;

        var result = GatewayConfigLoader.Parse(yaml, "k8s.yaml", Known, endpointsDiscovered: true);

        Assert.Contains(result.Errors, e => e.Contains("remove this list", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_NoDefaultInFile_TakesRoutingAlgorithmEnvironment()
    {
        const string yaml = "endpoints: [{name: a, address: 10.0.0.1:8000, model: m}]";

        Assert.Equal("random", GatewayConfigLoader.Parse(yaml, "c", Known, "random").Config!.DefaultStrategy);
        Assert.Null(GatewayConfigLoader.Parse(yaml, "c", Known, null).Config!.DefaultStrategy);
        var bad = GatewayConfigLoader.Parse(yaml, "c", Known, "nope");
        Assert.Contains("ROUTING_ALGORITHM: unknown strategy 'nope'", bad.Errors.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigFileWatcher_CheckOnce_ReloadsValidAndKeepsOldOnInvalid()
    {
        string path = Path.Combine(Path.GetTempPath(), $"aibrix-{Guid.NewGuid():N}.yaml");
        const string first = "endpoints: [{name: a, address: 10.0.0.1:8000, model: m}]";
        File.WriteAllText(path, first);
        try
        {
            var watcher = new ConfigFileWatcher(path, first, Known, null);
            var reloads = new List<GatewayConfig>();
            var invalid = new List<IReadOnlyList<string>>();

            Assert.False(watcher.CheckOnce(reloads.Add, invalid.Add));

            File.WriteAllText(path, "endpoints: [{name: b, address: 10.0.0.2:8000, model: m}]");
            Assert.True(watcher.CheckOnce(reloads.Add, invalid.Add));
            Assert.Equal("b", reloads.Single().Endpoints.Single().Name);

            File.WriteAllText(path, "endpoints: [{name: b}]");
            Assert.True(watcher.CheckOnce(reloads.Add, invalid.Add));
            Assert.Single(reloads);
            Assert.Contains(invalid.Single(), e => e.Contains("address: required", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }
}

public class GatewayConfigLoaderRoutingTests
{
    private static readonly Func<string, bool> Known = _ => true;
    private const string Endpoint = "endpoints: [{name: a, address: \"10.0.0.1:8000\", model: llama}]\n";

    [Fact]
    public void Parse_RoutingSection_ReadsEveryKey()
    {
        const string yaml = Endpoint + """
            routing:
              metricsStaleAfterMs: 5000
              defaultOutputTokens: 64
              prefixCache: {tokenizer: tiktoken, blockSize: 16, maxEntries: 50000, expirySeconds: 300}
              loadGuard: {absoluteImbalance: 8, stddevFactor: 1.5}
            """;

        var routing = GatewayConfigLoader.Parse(yaml, "f", Known).Config!.Routing;

        Assert.Equal(PrefixTokenizerKind.Tiktoken, routing.PrefixCache.Tokenizer);
        Assert.Equal((16, 50_000, TimeSpan.FromMinutes(5)), (routing.PrefixCache.BlockSize, routing.PrefixCache.MaxEntries, routing.PrefixCache.Expiry));
        Assert.Equal((8, 1.5), (routing.LoadGuard.AbsoluteImbalance, routing.LoadGuard.StddevFactor));
        Assert.Equal((TimeSpan.FromSeconds(5), 64), (routing.MetricsStaleAfter, routing.DefaultOutputTokens));
    }

    [Fact]
    public void Parse_NoRoutingSection_AIBrixDefaults()
    {
        var routing = GatewayConfigLoader.Parse(Endpoint, "f", Known).Config!.Routing;

        Assert.Equal((PrefixTokenizerKind.Characters, 128, 200_000), (routing.PrefixCache.Tokenizer, routing.PrefixCache.BlockSize, routing.PrefixCache.MaxEntries));
        Assert.Equal((16, 2.0), (routing.LoadGuard.AbsoluteImbalance, routing.LoadGuard.StddevFactor));
    }

    [Fact]
    public void Parse_SlowScrapes_StalenessAtLeastThreeIntervals()
    {
        var routing = GatewayConfigLoader.Parse(Endpoint + "metrics: {scrapeIntervalMs: 5000}\n", "f", Known).Config!.Routing;

        Assert.Equal(TimeSpan.FromSeconds(15), routing.MetricsStaleAfter);
    }

    [Fact]
    public void Parse_InvalidRoutingValues_EveryErrorListed()
    {
        const string yaml = Endpoint + """
            routing:
              metricsStaleAfterMs: 1
              prefixCache: {tokenizer: words, blockSize: 0, maxEntries: 1, expirySeconds: 0}
              loadGuard: {absoluteImbalance: -1, stddevFactor: -2}
            """;

        var result = GatewayConfigLoader.Parse(yaml, "f", Known);

        Assert.Null(result.Config);
        foreach (var key in new[] { "metricsStaleAfterMs", "tokenizer", "blockSize", "maxEntries", "expirySeconds", "absoluteImbalance", "stddevFactor" })
        {
            Assert.Contains(result.Errors, e => e.Contains(key, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Parse_KvEventsAndKvCost_ReadAndChecked()
    {
        var routing = GatewayConfigLoader.Parse(Endpoint + """
            routing:
              kvEvents: {maxBlocksPerPod: 1000, resyncSeconds: 3}
              kvCost: {prefillTokensPerSecond: 12000, decodeMsPerRequest: 0.5, overlapWeight: 1.5, kvUsageSeconds: 2, useEngineLoad: false, useEnginePrefillQueue: false}
            """, "f", Known).Config!.Routing;
        var bad = GatewayConfigLoader.Parse(Endpoint + """
            routing:
              kvEvents: {maxBlocksPerPod: 0, resyncSeconds: -1}
              kvCost: {prefillTokensPerSecond: 0, decodeMsPerRequest: -1, overlapWeight: -1, kvUsageSeconds: 5000}
            """, "f", Known);

        Assert.Equal((1000, TimeSpan.FromSeconds(3)), (routing.KvEvents.MaxBlocksPerPod, routing.KvEvents.ResyncPeriod));
        Assert.Equal((12000.0, 0.0005), (routing.KvCost.PrefillTokensPerSecond, routing.KvCost.DecodeSecondsPerRequest));
        Assert.Equal((1.5, 2.0, false, false), (routing.KvCost.OverlapWeight, routing.KvCost.KvUsageSeconds, routing.KvCost.UseEngineLoad, routing.KvCost.UseEnginePrefillQueue));
        Assert.Null(bad.Config);
        foreach (var key in new[] { "maxBlocksPerPod", "resyncSeconds", "prefillTokensPerSecond", "decodeMsPerRequest", "overlapWeight", "kvUsageSeconds" })
        {
            Assert.Contains(bad.Errors, e => e.Contains(key, StringComparison.Ordinal));
        }
    }
}
