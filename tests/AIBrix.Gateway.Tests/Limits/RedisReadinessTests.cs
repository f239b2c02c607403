using System.Net;
using System.Text.Json;
using AIBrix.Gateway.Redis.Tests;
using AIBrix.Gateway.Tests.Infrastructure;

namespace AIBrix.Gateway.Tests.Limits;

/// <summary>/readyz waits for Redis to be reached once, and does not drop readiness when it goes away later.</summary>
public class RedisReadinessTests(SimFleetFixture fleet) : IClassFixture<SimFleetFixture>
{
    [Fact]
    public async Task Readyz_WaitsForFirstRedisConnection_ThenStaysReadyThroughAnOutage()
    {
        await using var redis = RedisServer.NotStarted();
        string config = GatewayTestHost.ConfigFor(fleet.Addresses, SimFleetFixture.Model, extra: $"redis: \"{redis.HostPort}\"\n");
        await using var gateway = await GatewayTestHost.StartAsync(config, waitUntilReady: false);
        await gateway.WaitUntilAsync(r => r.All.All(e => e.IsReady), "every endpoint ready");

        var (before, beforeState) = await ReadyzAsync(gateway);
        await redis.StartAgainAsync();
        await gateway.WaitUntilReadyzAsync();
        var (during, duringState) = await ReadyzAsync(gateway);
        await redis.KillAsync();
        string afterState = duringState;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        HttpStatusCode after = HttpStatusCode.OK;
        while (afterState == "connected" && DateTime.UtcNow < deadline)
        {
            (after, afterState) = await ReadyzAsync(gateway);
            await Task.Delay(20);
        }

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "not-reached-yet"), (before, beforeState));
        Assert.Equal((HttpStatusCode.OK, "connected"), (during, duringState));
        Assert.Equal((HttpStatusCode.OK, "lost"), (after, afterState));
    }

    private static async Task<(HttpStatusCode Status, string Redis)> ReadyzAsync(GatewayTestHost gateway)
    {
        using var response = await gateway.Http.GetAsync("/readyz");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, doc.RootElement.GetProperty("redis").GetString()!);
    }
}
