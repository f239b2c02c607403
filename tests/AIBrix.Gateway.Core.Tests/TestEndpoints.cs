using AIBrix.EngineMetrics;
using AIBrix.Gateway.Core.Endpoints;

namespace AIBrix.Gateway.Core.Tests;

/// <summary>Builders for endpoints in tests.</summary>
internal static class TestEndpoints
{
    public static EndpointSpec Spec(string name, string address, string model = "llama", string[]? adapters = null, Dictionary<string, string>? labels = null) =>
        new(name, address, model, EngineKind.Vllm, null, labels ?? [], adapters ?? []);

    /// <summary>A registry holding ready endpoints (each marked scraped).</summary>
    public static EndpointRegistry ReadyRegistry(params EndpointSpec[] specs)
    {
        var registry = new EndpointRegistry();
        registry.Apply(specs);
        foreach (var spec in specs)
        {
            registry.OnScraped(spec.Name, new EngineMetricsSnapshot { Running = 0, Waiting = 0, KvCacheUsage = 0 }, DateTimeOffset.UnixEpoch);
        }

        return registry;
    }
}
