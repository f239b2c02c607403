using System.Text.Json;
using AIBrix.EngineMetrics;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Http;

namespace AIBrix.Gateway.Tests.Http;

public class DebugEndpointsWriterTests
{
    [Fact]
    public void WriteEndpoints_ScrapeLandedAfterNowWasTaken_AgeIsZeroNotNegative()
    {
        var now = new DateTimeOffset(2026, 11, 28, 4, 0, 0, TimeSpan.Zero);
        var registry = new EndpointRegistry();
        registry.Apply([new EndpointSpec("a", "10.0.0.1:8000", "m", EngineKind.Vllm, null, new Dictionary<string, string>(), [])]);
        registry.OnScraped("a", new EngineMetricsSnapshot { Running = 1, Waiting = 0, KvCacheUsage = 0.5 }, now.AddMilliseconds(3.5));
        using var buffer = new MemoryStream();

        using (var writer = new Utf8JsonWriter(buffer))
        {
            SidePortEndpoints.WriteEndpoints(writer, registry.Current, now, TimeSpan.FromSeconds(2));
        }

        using var doc = JsonDocument.Parse(buffer.ToArray());
        var endpoint = doc.RootElement.GetProperty("endpoints")[0];
        Assert.Equal(0, endpoint.GetProperty("metricsAgeMs").GetDouble());
        Assert.False(endpoint.GetProperty("stale").GetBoolean());
    }
}
