using System.Net;
using System.Text.Json;
using AIBrix.Gateway.Tests.Infrastructure;

namespace AIBrix.Gateway.Tests.Limits;

/// <summary>No Redis configured: users and limits live in the gateway's memory; auth: none trusts the user header.</summary>
public class EmbeddedLimitsTests(SimFleetFixture fleet) : IClassFixture<SimFleetFixture>
{
    [Fact]
    public async Task AuthNone_InMemory_UserHeaderIsLimitedAndUnknownUsersRefused()
    {
        await using var gateway = await GatewayTestHost.StartAsync(GatewayTestHost.ConfigFor(fleet.Addresses, SimFleetFixture.Model), extraArgs: ["--admin-insecure-loopback"]);
        using var create = await gateway.Http.PostAsync("/CreateUser", new StringContent("""{"name":"carol","rpm":1,"tpm":0}"""));
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        using var envoy = gateway.Envoy();

        var anonymous = await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat());
        var first = await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat(), headers: [new("user", "carol")]);
        var second = await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat(), headers: [new("user", "carol")]);
        var stranger = await envoy.SendAsync("/v1/chat/completions", SimFleetFixture.Chat(), headers: [new("user", "mallory")]);

        Assert.Null(anonymous.Immediate);
        Assert.Null(first.Immediate);
        Assert.Equal("1", first.ResponseHeaderMutations["x-ratelimit-limit-requests"]);
        Assert.Empty(first.RemovedRequestHeaders); // auth: none leaves the client's headers alone
        Assert.Equal(429, (int)second.Immediate!.Status.Code);
        Assert.Equal(401, (int)stranger.Immediate!.Status.Code);
        Assert.Equal("invalid_user", JsonDocument.Parse(stranger.ImmediateBody).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task AdminApi_WithoutTokenOrLoopbackSetting_IsDisabled()
    {
        await using var gateway = await GatewayTestHost.StartAsync(GatewayTestHost.ConfigFor(fleet.Addresses, SimFleetFixture.Model), waitUntilReady: false);

        using var response = await gateway.Http.GetAsync("/v1/users");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("--admin-token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
