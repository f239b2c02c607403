using System.Net;
using System.Net.Sockets;
using System.Text;
using AIBrix.EngineSim;
using AIBrix.Gateway.Core.Routing.KvEvents;
using AIBrix.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AIBrix.Gateway.Tests.KvEvents;

/// <summary>
/// The standalone gateway subscribed over ZeroMQ to real engine simulators' KV event streams: the index it builds
/// equals what each engine caches, a cached prefix is routed to the engine holding it (a prefix the gateway never
/// sent, so only the events can know), a publisher that dies leaves the index, and a restarted one is resynced.
/// </summary>
public sealed class LiveKvEventsTests
{
    private const string Model = "llama-sim";

    [Fact]
    public async Task PrefixCacheEvents_PrefixCachedBehindTheGatewaysBack_RoutedToThePodHoldingIt()
    {
        await using var sims = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Instances = 3, Port = 0, Model = Model, TimeScale = 50, Seed = 3, OutputLenMean = 4, KvEventsPort = 0, KvEventsReplayPort = 0,
        });
        await using var gateway = await GatewayTestHost.StartAsync(Config(sims.Instances), standalone: true);
        var index = gateway.Services.GetRequiredService<KvBlockIndex>();
        string prefix = Prompt("shared system prompt", 60);
        await PrimeAsync(index, sims.Instances);

        // Straight to engine 2, not through the gateway: its own prefix index knows nothing of this prompt.
        using (var direct = new HttpClient { BaseAddress = sims.Instances[2].BaseAddress })
        {
            using var warm = await direct.PostAsync("/v1/completions", Completion(prefix + " first question"));
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        await WaitForIndexToEqualEnginesAsync(index, sims.Instances);
        for (int i = 0; i < 4; i++)
        {
            using var routed = await gateway.Http.PostAsync("/v1/completions", Completion(prefix + $" follow-up {i}", strategy: "prefix-cache-events"));
            Assert.Equal(HttpStatusCode.OK, routed.StatusCode);
            Assert.Equal($"127.0.0.1:{sims.Instances[2].Port}", routed.Headers.GetValues("target-pod").Single());
        }

        await WaitForIndexToEqualEnginesAsync(index, sims.Instances);
        string debug = await gateway.Http.GetStringAsync("/debug/endpoints");
        Assert.Contains("\"kvEvents\"", debug, StringComparison.Ordinal);
        Assert.Contains($"tcp://127.0.0.1:{Port(sims.Instances[2].KvEventsEndpoint!)}", debug, StringComparison.Ordinal);
        string metrics = await gateway.Http.GetStringAsync("/metrics");
        Assert.Matches(@"aibrix_gateway_kv_events_subscribed_pods 3\b", metrics);
        Assert.Matches(@"aibrix_gateway_kv_events_block_events_total [1-9]", metrics);
    }

    [Fact]
    public async Task PrefixCacheEvents_ChatCachedBehindTheGatewaysBack_ChatRoutedToThePodHoldingIt()
    {
        await using var sims = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Instances = 3, Port = 0, Model = Model, TimeScale = 50, Seed = 5, OutputLenMean = 4, KvEventsPort = 0, KvEventsReplayPort = 0,
        });
        await using var gateway = await GatewayTestHost.StartAsync(Config(sims.Instances), standalone: true);
        var index = gateway.Services.GetRequiredService<KvBlockIndex>();
        string system = Prompt("chat system prompt", 60);
        await PrimeAsync(index, sims.Instances);

        // The engine renders chat through its template: only a gateway that renders it alike finds these blocks.
        using (var direct = new HttpClient { BaseAddress = sims.Instances[1].BaseAddress })
        {
            using var warm = await direct.PostAsync("/v1/chat/completions", Chat(system, "first question"));
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        await WaitForIndexToEqualEnginesAsync(index, sims.Instances);
        for (int i = 0; i < 3; i++)
        {
            using var routed = await gateway.Http.PostAsync("/v1/chat/completions", Chat(system, $"follow-up {i}", strategy: "prefix-cache-events"));
            Assert.Equal(HttpStatusCode.OK, routed.StatusCode);
            Assert.Equal($"127.0.0.1:{sims.Instances[1].Port}", routed.Headers.GetValues("target-pod").Single());
        }
    }

    [Fact]
    public async Task NoHasher_EndpointsLabelledToPublish_WarnedInDebugInfoAndMetric()
    {
        string config = """
            endpoints:
              - {name: a, address: "127.0.0.1:1", model: m, labels: {"kv-events.aibrix.ai/port": "5557"}}
              - {name: b, address: "127.0.0.1:2", model: m, labels: {"kv-events.aibrix.ai/enabled": "true"}}
              - {name: c, address: "127.0.0.1:3", model: m}
            """;
        await using var gateway = await GatewayTestHost.StartAsync(config, waitUntilReady: false, standalone: true);

        string info = await gateway.Http.GetStringAsync("/debug/info");
        Assert.Contains("\"kvEventsUnhashedEndpoints\":2", info, StringComparison.Ordinal);
        string metrics = await gateway.Http.GetStringAsync("/metrics");
        Assert.Matches(@"aibrix_gateway_kv_events_unhashed_endpoints 2\b", metrics);
    }

    [Fact]
    public async Task PrefixCacheEvents_ExtProc_TargetPodIsThePodHoldingThePrefix()
    {
        await using var sims = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Instances = 3, Port = 0, Model = Model, TimeScale = 50, Seed = 4, OutputLenMean = 4, KvEventsPort = 0, KvEventsReplayPort = 0,
        });
        await using var gateway = await GatewayTestHost.StartAsync(Config(sims.Instances));
        var index = gateway.Services.GetRequiredService<KvBlockIndex>();
        await PrimeAsync(index, sims.Instances);
        string prefix = Prompt("extproc system prompt", 60);
        using (var direct = new HttpClient { BaseAddress = sims.Instances[1].BaseAddress })
        {
            using var warm = await direct.PostAsync("/v1/completions", Completion(prefix + " first question"));
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        await WaitForIndexToEqualEnginesAsync(index, sims.Instances);
        using var envoy = gateway.Envoy();
        var exchange = await envoy.SendAsync(
            "/v1/completions", $$"""{"model":"{{Model}}","prompt":"{{prefix}} second question","max_tokens":4}""",
            headers: [new("routing-strategy", "prefix-cache-events")]);

        Assert.Equal($"127.0.0.1:{sims.Instances[1].Port}", exchange.TargetPod);
    }

    [Fact]
    public async Task PublisherDiesThenComesBack_PodLeavesTheIndexThenIsResyncedToTheNewEngine()
    {
        int http = FreePort(), events = FreePort(), replay = FreePort();
        var options = new SimulatorOptions
        {
            Instances = 1, Port = http, Model = Model, TimeScale = 50, Seed = 5, OutputLenMean = 4, KvEventsPort = events, KvEventsReplayPort = replay,
        };
        var sim = await SimulatorHost.StartAsync(options);
        await using var gateway = await GatewayTestHost.StartAsync(Config(sim.Instances), standalone: true);
        var index = gateway.Services.GetRequiredService<KvBlockIndex>();
        await PrimeAsync(index, sim.Instances);
        using var direct = new HttpClient { BaseAddress = sim.Instances[0].BaseAddress };
        string before = Prompt("before the restart", 40);
        using (var response = await direct.PostAsync("/v1/completions", Completion(before)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await WaitForIndexToEqualEnginesAsync(index, sim.Instances);
        ulong[] oldBlocks = [.. sim.Instances[0].CachedBlockHashes()];
        Assert.NotEmpty(oldBlocks);

        // The engine (and its publisher) dies: the connection drops and the pod routes on the estimate.
        await sim.DisposeAsync();
        await Until(() => !index.TryMatch("pod-0", oldBlocks, out _), "the pod left the index after its publisher died");

        // Back on the same ports with an empty cache: the new stream starts over and rebuilds the index from it.
        sim = await SimulatorHost.StartAsync(options);
        try
        {
            await PrimeAsync(index, sim.Instances);
            string after = Prompt("after the restart", 40);
            using (var response = await direct.PostAsync("/v1/completions", Completion(after)))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            await WaitForIndexToEqualEnginesAsync(index, sim.Instances);
            Assert.True(index.TryMatch("pod-0", oldBlocks, out int stale));
            Assert.Equal(0, stale); // nothing from before the restart survived
            string metrics = await gateway.Http.GetStringAsync("/metrics");
            Assert.Matches(@"aibrix_gateway_kv_events_disconnects_total [1-9]", metrics);
        }
        finally
        {
            await sim.DisposeAsync();
        }
    }

    private static string Config(IReadOnlyList<SimulatorInstance> instances)
    {
        var lines = new List<string> { "endpoints:" };
        for (int i = 0; i < instances.Count; i++)
        {
            var s = instances[i];
            lines.Add($"  - {{name: pod-{i}, address: \"127.0.0.1:{s.Port}\", model: \"{Model}\", engine: vllm, labels: "
                + $"{{\"kv-events.aibrix.ai/port\": \"{Port(s.KvEventsEndpoint!)}\", \"kv-events.aibrix.ai/replay-port\": \"{Port(s.KvEventsReplayEndpoint!)}\"}}}}");
        }

        lines.Add("routing: {defaultStrategy: least-request, kvEvents: {hasher: sim, resyncSeconds: 0}}");
        lines.Add("metrics: {scrapeIntervalMs: 50, scrapeTimeoutMs: 300}");
        return string.Join("\n", lines) + "\n";
    }

    /// <summary>
    /// Sends each engine a prompt of its own until the gateway has heard from it: the subscription connects
    /// asynchronously, and a batch published before it did is only replayed when a later one shows the gap.
    /// </summary>
    private static async Task PrimeAsync(KvBlockIndex index, IReadOnlyList<SimulatorInstance> instances)
    {
        for (int i = 0; i < instances.Count; i++)
        {
            using var direct = new HttpClient { BaseAddress = instances[i].BaseAddress };
            int pod = i;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
            while (!index.TryMatch($"pod-{pod}", [], out _))
            {
                Assert.True(DateTime.UtcNow < deadline, $"pod-{pod} never published");
                using var response = await direct.PostAsync("/v1/completions", Completion(Prompt($"warm-up {Guid.NewGuid():N}", 3)));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Polls until every engine's cached blocks are exactly what the gateway's index holds for it.</summary>
    private static async Task WaitForIndexToEqualEnginesAsync(KvBlockIndex index, IReadOnlyList<SimulatorInstance> instances)
    {
        await Until(
            () => instances.Select((s, i) => Equal(index, $"pod-{i}", s.CachedBlockHashes())).All(b => b),
            () => "the index equals every engine's cache: " + string.Join(", ", instances.Select((s, i) =>
            {
                var cached = s.CachedBlockHashes();
                var blocks = index.ForPod($"pod-{i}");
                return $"pod-{i} engine {cached.Count} index {blocks.Count} fresh {blocks.IsFresh} missing {cached.Count(h => !blocks.Contains(h))}";
            })));
    }

    private static bool Equal(KvBlockIndex index, string pod, HashSet<ulong> cached)
    {
        if (cached.Count == 0)
        {
            return !index.TryMatch(pod, [1UL], out int none) || none == 0;
        }

        var blocks = index.ForPod(pod);
        return blocks.IsFresh && blocks.Count == cached.Count && cached.All(blocks.Contains);
    }

    private static Task Until(Func<bool> condition, string what) => Until(condition, () => what);

    private static async Task Until(Func<bool> condition, Func<string> what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("never happened: " + what());
            }

            await Task.Delay(25);
        }
    }

    private static string Prompt(string topic, int sentences) =>
        string.Join(" ", Enumerable.Range(0, sentences).Select(i => $"Sentence {i} of the {topic} says something worth caching."));

    private static StringContent Completion(string prompt, string? strategy = null)
    {
        var content = new StringContent($$"""{"model":"{{Model}}","prompt":"{{prompt}}","max_tokens":4}""", Encoding.UTF8, "application/json");
        if (strategy is not null)
        {
            content.Headers.Add("routing-strategy", strategy);
        }

        return content;
    }

    private static StringContent Chat(string system, string question, string? strategy = null)
    {
        var content = new StringContent(
            $$"""{"model":"{{Model}}","messages":[{"role":"system","content":"{{system}}"},{"content":[{"type":"text","text":"{{question}}"}],"role":"user"}],"max_tokens":4}""",
            Encoding.UTF8,
            "application/json");
        if (strategy is not null)
        {
            content.Headers.Add("routing-strategy", strategy);
        }

        return content;
    }

    private static int Port(string endpoint) => new Uri(endpoint.Replace("tcp://", "http://", StringComparison.Ordinal)).Port;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
