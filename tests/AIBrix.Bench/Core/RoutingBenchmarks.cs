using System.Text;
using AIBrix.EngineMetrics;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Processing;
using AIBrix.Gateway.Core.Routing;
using BenchmarkDotNet.Attributes;

namespace AIBrix.Bench.Core;

/// <summary>The routing decision and the whole in-process request path, without gRPC.</summary>
[MemoryDiagnoser]
public class RoutingBenchmarks
{
    private EndpointRegistry _registry = null!;
    private RoutingPolicyRegistry _policies = null!;
    private GatewayPipeline _pipeline = null!;
    private Endpoint[] _candidates = null!;
    private IRoutingPolicy _leastRequest = null!;
    private IRoutingPolicy _random = null!;
    private readonly RoutingRequest _request = new();
    private byte[] _body = null!;
    private byte[] _response = null!;

    [Params(8, 64, 1024)]
    public int Endpoints { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _registry = new EndpointRegistry();
        var specs = Enumerable.Range(0, Endpoints)
            .Select(i => new EndpointSpec($"pod-{i}", $"10.0.{i / 250}.{i % 250 + 1}:8000", "llama", EngineKind.Vllm, null, new Dictionary<string, string>(), []))
            .ToArray();
        _registry.Apply(specs);
        foreach (var spec in specs)
        {
            _registry.OnScraped(spec.Name, new EngineMetricsSnapshot { Running = 1, Waiting = 0, KvCacheUsage = 0.2 }, DateTimeOffset.UtcNow);
        }

        _policies = RoutingPolicyRegistry.CreateDefault("least-request");
        _policies.TryGet("least-request", out _leastRequest);
        _policies.TryGet("random", out _random);
        _pipeline = new GatewayPipeline(_registry, _policies);
        _candidates = _registry.Current.ReadyFor("llama").ToArray();
        _body = Encoding.UTF8.GetBytes($$"""{"model":"llama","messages":[{"role":"system","content":"You are helpful."},{"role":"user","content":"{{new string('x', 2000)}}"}],"max_tokens":64}""");
        _response = Encoding.UTF8.GetBytes("""{"id":"c","object":"chat.completion","choices":[],"usage":{"prompt_tokens":512,"completion_tokens":64,"total_tokens":576}}""");
    }

    [Benchmark]
    public Endpoint PickLeastRequest() => _leastRequest.Pick(_request, _candidates);

    [Benchmark]
    public Endpoint PickRandom() => _random.Pick(_request, _candidates);

    /// <summary>Headers, a 2 KB chat body, routing, response headers and a JSON body with usage.</summary>
    [Benchmark]
    public int FullRequestPath()
    {
        using var context = _pipeline.Begin();
        context.Headers[":path"] = "/v1/chat/completions";
        context.Headers[":method"] = "POST";
        _pipeline.OnRequestHeaders(context);
        var route = _pipeline.OnRequestBody(context, _body);
        _pipeline.OnResponseHeaders(context, 200, "application/json");
        _pipeline.OnResponseBody(context, _response, endOfStream: true);
        return route.Target!.InFlight;
    }

    /// <summary>
    /// The same request through the seams the hosts call (headers, then the body to a routing decision
    /// with its header changes, response headers, the response chunk), as ext_proc and standalone run it.
    /// </summary>
    [Benchmark]
    public int HostRequestPath()
    {
        using var context = _pipeline.Begin();
        context.Headers[":path"] = "/v1/chat/completions";
        context.Headers[":method"] = "POST";
        _ = Done(_pipeline.OnRequestHeadersAsync(context));
        var decision = Done(_pipeline.RouteAsync(context, _body));
        _pipeline.OnResponseHeaders(context, 200, "application/json");
        _pipeline.OnResponseChunk(context, _response, endOfStream: true);
        return decision.Target!.InFlight + decision.SetHeaders.Count;
    }

    // The pipeline's ValueTasks complete at once without limits; a benchmark may read them synchronously.
    private static T Done<T>(ValueTask<T> task) => task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();
}
