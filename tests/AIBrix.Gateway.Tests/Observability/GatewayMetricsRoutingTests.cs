using System.Text;
using AIBrix.EngineMetrics;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Processing;
using AIBrix.Gateway.Core.Routing;
using AIBrix.Gateway.Observability;

namespace AIBrix.Gateway.Tests.Observability;

public class GatewayMetricsRoutingTests
{
    [Fact]
    public async Task OnRouted_MetricPolicyFellBack_CountedByStrategyAndReason()
    {
        var registry = new EndpointRegistry(new EndpointRegistryOptions { AssumeReadyWithoutMetrics = true });
        registry.Apply(
        [
            new EndpointSpec("a", "10.0.0.1:8000", "llama", EngineKind.Vllm, null, new Dictionary<string, string>(), []),
            new EndpointSpec("b", "10.0.0.2:8000", "llama", EngineKind.Vllm, null, new Dictionary<string, string>(), []),
        ]);
        var metrics = new GatewayMetrics(registry, TimeProvider.System);
        var pipeline = new GatewayPipeline(registry, RoutingPolicyRegistry.CreateDefault(null, new SeededRandomSource(1)), metrics);

        for (int i = 0; i < 3; i++)
        {
            using var context = pipeline.Begin();
            context.Headers[":path"] = "/v1/completions";
            context.Headers["routing-strategy"] = "least-kv-cache";
            Assert.Null(pipeline.OnRequestHeaders(context));
            Assert.Null(pipeline.OnRequestBody(context, """{"model":"llama","prompt":"hi"}"""u8).Error);
        }

        using var stream = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(stream);
        string text = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Contains("aibrix_gateway_routing_fallbacks_total{strategy=\"least-kv-cache\",reason=\"metrics-missing\"} 3", text, StringComparison.Ordinal);
    }
}
