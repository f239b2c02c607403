using System.Collections.Concurrent;
using System.Net;
using System.Text;
using AIBrix.EngineSim;
using AIBrix.Gateway.Tests.Infrastructure;

namespace AIBrix.Gateway.Tests.Standalone;

public class StandaloneResilienceTests
{
    private const string Model = "m";

    private static StringContent Chat(int maxTokens = 4, bool stream = false) => new(
        $$"""{"model":"{{Model}}","messages":[{"role":"user","content":"hello there"}],"max_tokens":{{maxTokens}}{{(stream ? ",\"stream\":true" : "")}}}""",
        Encoding.UTF8,
        "application/json");

    [Fact]
    public async Task PodKilledMidRun_RequestsStartedAfterwardNeverFail()
    {
        await using var sims = await SimulatorHost.StartAsync(new SimulatorOptions { Instances = 4, Port = 0, Model = Model, TimeScale = 50 });
        var addresses = sims.Instances.Select(i => $"127.0.0.1:{i.Port}").ToArray();
        await using var gateway = await GatewayTestHost.StartAsync(GatewayTestHost.ConfigFor(addresses, Model), standalone: true);
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        var results = new ConcurrentBag<(long Started, HttpStatusCode Status, string? Pod)>();
        long killStarted = long.MaxValue, killedAt = long.MaxValue;
        int sent = 0, afterKill = 0;

        // Workers keep sending until 60 requests have started after the pod is fully gone (bounded by a cap).
        var workers = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            while (Volatile.Read(ref afterKill) < 60 && Interlocked.Increment(ref sent) <= 20_000)
            {
                long started = System.Diagnostics.Stopwatch.GetTimestamp();
                using var response = await http.PostAsync("/v1/chat/completions", Chat());
                results.Add((started, response.StatusCode, response.Headers.TryGetValues("target-pod", out var pod) ? pod.Single() : null));
                if (started > Volatile.Read(ref killedAt))
                {
                    Interlocked.Increment(ref afterKill);
                }
            }
        })).ToArray();

        while (Volatile.Read(ref sent) < 30)
        {
            await Task.Delay(5);
        }

        Volatile.Write(ref killStarted, System.Diagnostics.Stopwatch.GetTimestamp());
        await sims.Instances[2].DisposeAsync();
        Volatile.Write(ref killedAt, System.Diagnostics.Stopwatch.GetTimestamp());
        await Task.WhenAll(workers);

        // Every request that started once shutdown began got an answer (retried elsewhere if refused);
        // once the pod was gone, none was answered by it.
        Assert.All(results.Where(r => r.Started > killStarted), r => Assert.Equal(HttpStatusCode.OK, r.Status));
        var afterGone = results.Where(r => r.Started > killedAt).ToArray();
        Assert.True(afterGone.Length >= 60, $"only {afterGone.Length} requests after the kill");
        Assert.All(afterGone, r => Assert.NotEqual(addresses[2], r.Pod));
        await gateway.WaitUntilAsync(s => s.All.All(e => e.InFlight == 0), "all requests settled");
    }

    [Fact]
    public async Task EndpointRefusingConnections_RetriedElsewhereThenEjected()
    {
        await using var sims = await SimulatorHost.StartAsync(new SimulatorOptions { Instances = 2, Port = 0, Model = Model, TimeScale = 50 });
        int deadPort = ClosedPort();
        // The dead pod's /metrics answers (it is served by a live simulator), but its serving port refuses:
        // only passive health can see it.
        string config = $$"""
            endpoints:
              - {name: dead, address: "127.0.0.1:{{deadPort}}", metricsPort: {{sims.Instances[0].Port}}, model: {{Model}}}
              - {name: live, address: "127.0.0.1:{{sims.Instances[1].Port}}", model: {{Model}}}
            routing: {defaultStrategy: random}
            resilience: {retries: 1, ejectAfterFailures: 2, ejectSeconds: 60}
            """;
        await using var gateway = await GatewayTestHost.StartAsync(config, standalone: true);
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };

        for (int i = 0; i < 30; i++)
        {
            using var response = await http.PostAsync("/v1/chat/completions", Chat());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal($"127.0.0.1:{sims.Instances[1].Port}", response.Headers.GetValues("target-pod").Single());
        }

        var dead = gateway.Registry.Current.ByName["dead"];
        Assert.Equal(2, dead.Errors); // ejected after two refusals: no request went there afterwards
        Assert.True(dead.IsEjected(TimeProvider.System.GetTimestamp()));
        Assert.Contains("(attempt 2)", await http.GetStringAsync("/debug/decisions"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryEndpointRefusing_Answers502InOpenAIShape()
    {
        await using var sims = await SimulatorHost.StartAsync(new SimulatorOptions { Instances = 1, Port = 0, Model = Model, TimeScale = 50 });
        string config = $$"""
            endpoints:
              - {name: a, address: "127.0.0.1:{{ClosedPort()}}", metricsPort: {{sims.Instances[0].Port}}, model: {{Model}}}
              - {name: b, address: "127.0.0.1:{{ClosedPort()}}", metricsPort: {{sims.Instances[0].Port}}, model: {{Model}}}
            """;
        await using var gateway = await GatewayTestHost.StartAsync(config, standalone: true);
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };

        using var response = await http.PostAsync("/v1/chat/completions", Chat());

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("upstream_unavailable", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, gateway.Registry.Current.All.Sum(e => e.Errors));
    }

    [Fact]
    public async Task ClientDisconnectsMidStream_CancelsTheUpstreamRequest()
    {
        await using var sims = await SimulatorHost.StartAsync(new SimulatorOptions { Instances = 1, Port = 0, Model = Model, TimeScale = 1 });
        await using var gateway = await GatewayTestHost.StartAsync(GatewayTestHost.ConfigFor([$"127.0.0.1:{sims.Instances[0].Port}"], Model), standalone: true);
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat(maxTokens: 5000, stream: true) })
        using (var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            Assert.True(await body.ReadAsync(new byte[64]) > 0); // streaming has begun
            Assert.Equal(1, sims.Instances[0].Snapshot().Running);
        } // the client goes away with ~5,000 tokens still to generate

        await gateway.WaitUntilAsync(s => s.All.Single().InFlight == 0, "gateway released the request");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (sims.Instances[0].Snapshot().Running != 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(0, sims.Instances[0].Snapshot().Running);
        Assert.True(sims.Instances[0].Snapshot().GenerationTokens < 5000, "the engine generated the whole answer: the upstream request was not cancelled");
    }

    private static int _closedPort;

    /// <summary>
    /// A port nothing listens on: low privileged ports no test binds, rather than an ephemeral port
    /// that another test process's server might take between our check and our request.
    /// </summary>
    private static int ClosedPort() => Interlocked.Increment(ref _closedPort) % 20 + 1;
}
