using System.Net;
using System.Text.Json;
using AIBrix.Gateway.Tests.Infrastructure;

namespace AIBrix.Gateway.Tests.Http;

/// <summary>The JSON behind the operator page on the ext_proc side port: what real traffic leaves there, and bad queries.</summary>
public class OperatorApiTests(SimFleetFixture fleet) : IClassFixture<SimFleetFixture>
{
    [Fact]
    public async Task History_AfterRequestsThroughExtProc_CountsThemWithLatencyAndTokens()
    {
        using var envoy = fleet.Gateway.Envoy();
        for (int i = 0; i < 3; i++)
        {
            await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat($"history {i}", stream: true));
        }

        await envoy.SendAsync("/v1/chat/completions", "{");

        using var doc = JsonDocument.Parse(await fleet.Gateway.Http.GetStringAsync("/debug/history?minutes=2"));
        var root = doc.RootElement;
        Assert.Equal(5, root.GetProperty("bucketSeconds").GetInt32());
        Assert.Equal(24, root.GetProperty("times").GetArrayLength());
        var window = root.GetProperty("window");
        Assert.True(window.GetProperty("requests").GetInt64() >= 4);
        Assert.True(window.GetProperty("errors").GetInt64() >= 1);
        Assert.True(window.GetProperty("tokensOut").GetInt64() >= 3);
        Assert.Equal(JsonValueKind.Number, window.GetProperty("ttftP50Ms").ValueKind);
        Assert.Equal(JsonValueKind.Number, window.GetProperty("itlP99Ms").ValueKind);
        Assert.True(root.GetProperty("statuses").TryGetProperty("400", out _));

        using var decisions = JsonDocument.Parse(await fleet.Gateway.Http.GetStringAsync("/debug/decisions?status=2xx&limit=2"));
        var kept = decisions.RootElement.GetProperty("decisions").EnumerateArray().ToArray();
        Assert.Equal(2, kept.Length);
        Assert.All(kept, d => Assert.Equal(200, d.GetProperty("status").GetInt32()));
        Assert.All(kept, d => Assert.Equal(3, d.GetProperty("candidates").GetInt32()));

        using var series = JsonDocument.Parse(await fleet.Gateway.Http.GetStringAsync("/debug/history/endpoints?minutes=1&name=pod-1"));
        var pod1 = Assert.Single(series.RootElement.GetProperty("endpoints").EnumerateArray());
        Assert.Equal("pod-1", pod1.GetProperty("name").GetString());
        Assert.Equal(12, pod1.GetProperty("running").GetArrayLength());
        Assert.Equal(JsonValueKind.Number, pod1.GetProperty("running")[11].ValueKind);

        using var detail = JsonDocument.Parse(await fleet.Gateway.Http.GetStringAsync("/debug/endpoints/pod-1"));
        Assert.Equal(JsonValueKind.Number, detail.RootElement.GetProperty("scrape").GetProperty("ageMs").ValueKind);
        Assert.Equal(JsonValueKind.Object, detail.RootElement.GetProperty("engineMetrics").GetProperty("timeToFirstTokenSeconds").ValueKind);
    }

    [Theory]
    [InlineData("/debug/decisions?status=teapot", 400, "'status'")]
    [InlineData("/debug/decisions?limit=0", 400, "'limit'")]
    [InlineData("/debug/history?minutes=-1", 400, "'minutes'")]
    [InlineData("/debug/history/endpoints?limit=many", 400, "'limit'")]
    [InlineData("/debug/endpoints/no-such-pod", 404, "no-such-pod")]
    [InlineData("/debug/users", 401, "admin")]
    public async Task BadQueries_AnswerTheRightStatusWithAnOpenAIShapedError(string path, int status, string mentions)
    {
        using var response = await fleet.Gateway.Http.GetAsync(path);
        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(mentions, doc.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
