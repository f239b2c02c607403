using System.Net;
using System.Text.Json;
using AIBrix.Gateway.Tests.Infrastructure;

namespace AIBrix.Gateway.Tests.Http;

public class SidePortTests(SimFleetFixture fleet) : IClassFixture<SimFleetFixture>
{
    [Fact]
    public async Task Healthz_AndReadyz_AnswerOkOnceScraped()
    {
        Assert.Equal("ok\n", await fleet.Gateway.Http.GetStringAsync("/healthz"));
        using var ready = await fleet.Gateway.Http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var doc = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.Equal(3, doc.RootElement.GetProperty("readyEndpoints").GetInt32());
    }

    [Fact]
    public async Task OperatorPage_IsServedOnTheSidePortInExtProcMode_WithNoExternalAssets()
    {
        using var response = await fleet.Gateway.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        string html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<title>AIBrix gateway</title>", html, StringComparison.Ordinal);
        // Offline: no script, style sheet or image from another origin.
        Assert.DoesNotContain("src=\"http", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"http", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task DebugEndpoints_ListsEachEndpointWithParsedEngineMetrics()
    {
        // Scrapes run every 50 ms with a 300 ms stale window; on a loaded CI machine one can be late, so
        // take the first view in which every endpoint is fresh (the fields are what is under test).
        JsonDocument doc = JsonDocument.Parse(await fleet.Gateway.Http.GetStringAsync("/debug/endpoints"));
        for (int attempt = 0; attempt < 100 && doc.RootElement.GetProperty("endpoints").EnumerateArray().Any(e => e.GetProperty("stale").GetBoolean()); attempt++)
        {
            doc.Dispose();
            await Task.Delay(50);
            doc = JsonDocument.Parse(await fleet.Gateway.Http.GetStringAsync("/debug/endpoints"));
        }

        using var view = doc;
        var endpoints = doc.RootElement.GetProperty("endpoints").EnumerateArray().ToArray();
        Assert.Equal(3, endpoints.Length);
        foreach (var endpoint in endpoints)
        {
            Assert.StartsWith("pod-", endpoint.GetProperty("name").GetString(), StringComparison.Ordinal);
            Assert.Contains(endpoint.GetProperty("address").GetString(), fleet.Addresses);
            Assert.Equal(SimFleetFixture.Model, endpoint.GetProperty("model").GetString());
            Assert.Equal("vllm", endpoint.GetProperty("engine").GetString());
            Assert.True(endpoint.GetProperty("ready").GetBoolean());
            Assert.False(endpoint.GetProperty("stale").GetBoolean());
            Assert.InRange(endpoint.GetProperty("metricsAgeMs").GetDouble(), 0, 5000);
            var metrics = endpoint.GetProperty("metrics");
            Assert.Equal(JsonValueKind.Number, metrics.GetProperty("running").ValueKind);
            Assert.Equal(JsonValueKind.Number, metrics.GetProperty("waiting").ValueKind);
            Assert.InRange(metrics.GetProperty("kvCacheUsage").GetDouble(), 0, 1);
        }
    }

    [Fact]
    public async Task Metrics_ExposesRequestDecisionInFlightAndScrapeSeries()
    {
        using var envoy = fleet.Gateway.Envoy();
        await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat());
        await envoy.SendAsync("/v1/chat/completions", "{");

        string text = await fleet.Gateway.Http.GetStringAsync("/metrics");

        Assert.Contains($"aibrix_gateway_requests_total{{model=\"{SimFleetFixture.Model}\",strategy=\"least-request\",outcome=\"completed\",code=\"200\"}}", text, StringComparison.Ordinal);
        Assert.Contains("outcome=\"rejected\",code=\"400\"", text, StringComparison.Ordinal);
        Assert.Contains("aibrix_gateway_routing_decision_seconds_bucket{strategy=\"least-request\"", text, StringComparison.Ordinal);
        Assert.Contains("aibrix_gateway_endpoint_in_flight{endpoint=\"pod-0\"", text, StringComparison.Ordinal);
        Assert.Contains("aibrix_gateway_endpoint_ready{endpoint=\"pod-0\",model=\"llama-sim\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE aibrix_gateway_engine_scrape_errors_total counter", text, StringComparison.Ordinal);
    }
}
