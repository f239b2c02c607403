using System.Text;
using AIBrix.EngineMetrics;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Processing;
using AIBrix.Gateway.Core.Routing;
using AIBrix.Gateway.Observability.History;
using BenchmarkDotNet.Attributes;

namespace AIBrix.Bench.Core;

/// <summary>
/// What the operator page's observers (the decision log and the 15-minute history) add to one request:
/// the in-process request path with no observer against the same path feeding both.
/// </summary>
[MemoryDiagnoser]
public class OperatorObserverBenchmarks
{
    private GatewayPipeline _bare = null!;
    private GatewayPipeline _observed = null!;
    private byte[] _body = null!;
    private byte[] _response = null!;

    [GlobalSetup]
    public void Setup()
    {
        var registry = new EndpointRegistry();
        var specs = Enumerable.Range(0, 64)
            .Select(i => new EndpointSpec($"pod-{i}", $"10.0.0.{i + 1}:8000", "llama", EngineKind.Vllm, null, new Dictionary<string, string>(), []))
            .ToArray();
        registry.Apply(specs);
        foreach (var spec in specs)
        {
            registry.OnScraped(spec.Name, new EngineMetricsSnapshot { Running = 1, Waiting = 0, KvCacheUsage = 0.2 }, DateTimeOffset.UtcNow);
        }

        var policies = RoutingPolicyRegistry.CreateDefault("least-request");
        _bare = new GatewayPipeline(registry, policies);
        var observers = new CompositeObserver(new RoutingDecisionLog(TimeProvider.System), new RequestHistory(new HistoryOptions(), TimeProvider.System));
        _observed = new GatewayPipeline(registry, policies, observers);
        _body = Encoding.UTF8.GetBytes($$"""{"model":"llama","user":"alice","messages":[{"role":"user","content":"{{new string('x', 2000)}}"}],"max_tokens":64}""");
        _response = Encoding.UTF8.GetBytes("""{"id":"c","object":"chat.completion","choices":[],"usage":{"prompt_tokens":512,"completion_tokens":64,"total_tokens":576}}""");
    }

    [Benchmark(Baseline = true)]
    public int NoObservers() => Run(_bare);

    [Benchmark]
    public int DecisionLogAndHistory() => Run(_observed);

    private int Run(GatewayPipeline pipeline)
    {
        using var context = pipeline.Begin();
        context.Headers[":path"] = "/v1/chat/completions";
        context.Headers[":method"] = "POST";
        pipeline.OnRequestHeaders(context);
        var route = pipeline.OnRequestBody(context, _body);
        pipeline.OnResponseHeaders(context, 200, "application/json");
        pipeline.OnResponseBody(context, _response, endOfStream: true);
        return route.Target!.InFlight;
    }
}
