using System.Text.Json;
using Envoy.Service.Auth.V3;
using Grpc.Net.Client;
using static AIBrix.Gateway.Tests.Limits.LimitsFleetFixture;

namespace AIBrix.Gateway.Tests.Limits;

/// <summary>Authorization.Check over real gRPC, called as Envoy's ext_authz filter calls it.</summary>
public class ExtAuthzTests(LimitsFleetFixture fleet) : IClassFixture<LimitsFleetFixture>
{
    private async Task<CheckResponse> CheckAsync(string? authorization, string? user = null)
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{fleet.Gateway.GrpcPort}");
        var client = new Authorization.AuthorizationClient(channel);
        var http = new AttributeContext.Types.HttpRequest { Id = "req-1", Method = "POST", Path = "/v1/chat/completions", Host = "gw", Scheme = "http", Size = -1, Protocol = "HTTP/1.1" };
        http.Headers[":method"] = "POST";
        http.Headers[":path"] = "/v1/chat/completions";
        if (authorization is not null)
        {
            http.Headers["authorization"] = authorization;
        }

        if (user is not null)
        {
            http.Headers["user"] = user;
        }

        return await client.CheckAsync(new CheckRequest { Attributes = new AttributeContext { Request = new AttributeContext.Types.Request { Http = http } } });
    }

    private static void AssertInvalidKey(CheckResponse response)
    {
        Assert.Equal(16, response.Status.Code); // UNAUTHENTICATED
        Assert.Equal(CheckResponse.HttpResponseOneofCase.DeniedResponse, response.HttpResponseCase);
        Assert.Equal(401, (int)response.DeniedResponse.Status.Code);
        using var body = JsonDocument.Parse(response.DeniedResponse.Body);
        Assert.Equal("invalid_api_key", body.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains(response.DeniedResponse.Headers, h => h.Header.Key == "content-type");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer not-one-of-ours")]
    [InlineData("Bearer aibrix-000000000000-doesnotexist")]
    public async Task Check_MissingOrUnknownKey_Denies401(string? authorization)
    {
        AssertInvalidKey(await CheckAsync(authorization));
    }

    [Fact]
    public async Task Check_ValidKey_AllowsAndOverwritesUserHeader()
    {
        string name = "authz-" + Guid.NewGuid().ToString("N")[..8];
        string key = await fleet.UserWithKeyAsync(name, 0, 0);

        var response = await CheckAsync("Bearer " + key, user: "someone-else");

        Assert.Equal(0, response.Status.Code);
        var header = Assert.Single(response.OkResponse.Headers);
        Assert.Equal("user", header.Header.Key);
        Assert.Equal(name, header.Header.RawValue.ToStringUtf8());
        Assert.Equal(global::Envoy.Config.Core.V3.HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExistsOrAdd, header.AppendAction);
        Assert.Equal(["authorization"], response.OkResponse.HeadersToRemove); // the engine never sees the user's key
    }

    [Fact]
    public async Task Check_RevokedKey_Denies401()
    {
        string name = "authz-" + Guid.NewGuid().ToString("N")[..8];
        string key = await fleet.UserWithKeyAsync(name, 0, 0);
        string id = key.Split('-')[1];
        using var revoke = await fleet.Gateway.Http.SendAsync(Admin(HttpMethod.Delete, $"/v1/users/{name}/keys/{id}"));
        Assert.Equal(System.Net.HttpStatusCode.NoContent, revoke.StatusCode);

        AssertInvalidKey(await CheckAsync("Bearer " + key));
    }

    [Fact]
    public async Task Check_TamperedSecret_Denies401()
    {
        string key = await fleet.UserWithKeyAsync("authz-" + Guid.NewGuid().ToString("N")[..8], 0, 0);
        string tampered = key[..^1] + (key[^1] == 'A' ? 'B' : 'A');

        AssertInvalidKey(await CheckAsync("Bearer " + tampered));
    }
}
