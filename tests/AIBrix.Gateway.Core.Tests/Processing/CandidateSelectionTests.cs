using System.Text;
using AIBrix.EngineMetrics;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Errors;
using AIBrix.Gateway.Core.Processing;
using AIBrix.Gateway.Core.Routing;
using static AIBrix.Gateway.Core.Tests.TestEndpoints;

namespace AIBrix.Gateway.Core.Tests.Processing;

public class CandidateSelectionTests
{
    private static byte[] Chat(string model) =>
        Encoding.UTF8.GetBytes($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hello"}],"max_tokens":5}""");

    private static (RouteResult Route, IReadOnlyList<KeyValuePair<string, string>> Headers) Send(
        EndpointRegistry registry, string model, string strategy = "random", Dictionary<string, string>? headers = null, int seed = 1)
    {
        var pipeline = new GatewayPipeline(registry, RoutingPolicyRegistry.CreateDefault(null, new SeededRandomSource(seed)));
        using var context = pipeline.Begin();
        context.Headers[":path"] = "/v1/chat/completions";
        context.Headers["routing-strategy"] = strategy;
        foreach (var (k, v) in headers ?? [])
        {
            context.Headers[k] = v;
        }

        if (pipeline.OnRequestHeaders(context) is { } error)
        {
            return (RouteResult.Fail(error), []);
        }

        var route = pipeline.OnRequestBody(context, Chat(model));
        var responseHeaders = route.Error is null ? pipeline.OnResponseHeaders(context, 200, "application/json") : [];
        return (route, responseHeaders);
    }

    [Fact]
    public void Adapter_FromConfig_OnlyPodsThatHaveIt()
    {
        var registry = ReadyRegistry(Spec("a", "10.0.0.1:8000", adapters: ["sql-lora"]), Spec("b", "10.0.0.2:8000"), Spec("c", "10.0.0.3:8000", adapters: ["sql-lora"]));

        var targets = Enumerable.Range(0, 40).Select(i => Send(registry, "sql-lora", seed: i).Route.Target!.Name).ToHashSet();

        Assert.Equal(["a", "c"], targets.Order());
    }

    [Fact]
    public void BaseModel_AnyPodOfTheModel()
    {
        var registry = ReadyRegistry(Spec("a", "10.0.0.1:8000", adapters: ["sql-lora"]), Spec("b", "10.0.0.2:8000"));

        var targets = Enumerable.Range(0, 40).Select(i => Send(registry, "llama", seed: i).Route.Target!.Name).ToHashSet();

        Assert.Equal(2, targets.Count);
    }

    [Fact]
    public void Adapter_ReportedByEngineMetrics_RoutedToThoseEngines()
    {
        var registry = new EndpointRegistry();
        registry.Apply([Spec("a", "10.0.0.1:8000"), Spec("b", "10.0.0.2:8000")]);
        registry.OnScraped("a", new EngineMetricsSnapshot { Running = 0 }, DateTimeOffset.UnixEpoch);
        registry.OnScraped("b", new EngineMetricsSnapshot { Running = 1, RunningAdapters = ["dyn-lora"], WaitingAdapters = [] }, DateTimeOffset.UnixEpoch);

        var (route, _) = Send(registry, "dyn-lora");

        Assert.Equal("b", route.Target!.Name);
    }

    [Fact]
    public void Adapter_NobodyHasIt_UnknownModel()
    {
        var registry = ReadyRegistry(Spec("a", "10.0.0.1:8000"));

        Assert.Equal(GatewayErrorKind.UnknownModel, Send(registry, "ghost-lora").Route.Error!.Kind);
    }

    [Fact]
    public void ExternalFilter_NarrowsCandidatesBeforeThePolicy()
    {
        var registry = ReadyRegistry(
            Spec("a", "10.0.0.1:8000", labels: new() { ["zone"] = "a" }),
            Spec("b", "10.0.0.2:8000", labels: new() { ["zone"] = "b" }),
            Spec("c", "10.0.0.3:8000", labels: new() { ["zone"] = "b", ["spot"] = "true" }));

        var targets = Enumerable.Range(0, 30)
            .Select(i => Send(registry, "llama", headers: new() { ["external-filter"] = "zone=b,!spot" }, seed: i).Route.Target!.Name)
            .ToHashSet();

        Assert.Equal(["b"], targets);
    }

    [Fact]
    public void ExternalFilter_Malformed_Is400()
    {
        var registry = ReadyRegistry(Spec("a", "10.0.0.1:8000"));

        var error = Send(registry, "llama", headers: new() { ["external-filter"] = "zone in (a" }).Route.Error!;

        Assert.Equal(GatewayErrorKind.InvalidExternalFilter, error.Kind);
        Assert.Equal(400, ErrorMapping.Shape(error.Kind).StatusCode);
    }

    [Fact]
    public void ExternalFilter_MatchesNothing_Is503()
    {
        var registry = ReadyRegistry(Spec("a", "10.0.0.1:8000", labels: new() { ["zone"] = "a" }));

        var error = Send(registry, "llama", headers: new() { ["external-filter"] = "zone=z" }).Route.Error!;

        Assert.Equal(503, ErrorMapping.Shape(error.Kind).StatusCode);
    }

    [Fact]
    public void WeightedStrategyHeader_Malformed_Is400WithReason()
    {
        var registry = ReadyRegistry(Spec("a", "10.0.0.1:8000"));

        var error = Send(registry, "llama", strategy: "prefix-cache:2,least-request:x").Route.Error!;

        Assert.Equal(GatewayErrorKind.InvalidRoutingStrategy, error.Kind);
        Assert.Contains("'x'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MetricPolicyFallback_ShownInResponseHeader()
    {
        var registry = new EndpointRegistry(new EndpointRegistryOptions { AssumeReadyWithoutMetrics = true });
        registry.Apply([Spec("a", "10.0.0.1:8000"), Spec("b", "10.0.0.2:8000")]);

        var (route, headers) = Send(registry, "llama", strategy: "least-gpu-cache");

        Assert.Null(route.Error);
        Assert.Contains(headers, h => h.Key == "x-aibrix-routing-fallback" && h.Value == "metrics-missing");
    }

    [Fact]
    public void SessionAffinity_SessionIdReturnedOnResponse()
    {
        var registry = ReadyRegistry(Spec("a", "10.0.0.1:8000"), Spec("b", "10.0.0.2:8000"));

        var (route, headers) = Send(registry, "llama", strategy: "session-affinity");

        Assert.Contains(headers, h => h.Key == "x-session-id" && h.Value == SessionAffinityPolicy.Encode(route.Target!.Address));
    }
}
