using System.Net;
using System.Text.Json;
using static AIBrix.Gateway.Tests.Limits.LimitsFleetFixture;

namespace AIBrix.Gateway.Tests.Limits;

public class AdminApiTests(LimitsFleetFixture fleet) : IClassFixture<LimitsFleetFixture>
{
    private static string Name() => "admin-" + Guid.NewGuid().ToString("N")[..8];

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpRequestMessage request)
    {
        using (request)
        using (var response = await fleet.Gateway.Http.SendAsync(request))
        {
            string text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    public async Task AdminRoute_WithoutTheToken_Is401(string? token)
    {
        var (status, body) = await SendAsync(Admin(HttpMethod.Get, "/v1/users", token: token));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_admin_token", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task CreateUser_AibrixRoutes_CreateReadUpdateDelete()
    {
        string name = Name();

        var created = await SendAsync(Admin(HttpMethod.Post, "/CreateUser", $$"""{"name":"{{name}}","rpm":10,"tpm":1000}"""));
        var duplicate = await SendAsync(Admin(HttpMethod.Post, "/CreateUser", $$"""{"name":"{{name}}","rpm":1,"tpm":1}"""));
        var updated = await SendAsync(Admin(HttpMethod.Post, "/UpdateUser", $$"""{"name":"{{name}}","rpm":20,"tpm":2000}"""));
        var read = await SendAsync(Admin(HttpMethod.Post, "/ReadUser", $$"""{"name":"{{name}}"}"""));
        var deleted = await SendAsync(Admin(HttpMethod.Post, "/DeleteUser", $$"""{"name":"{{name}}"}"""));
        var gone = await SendAsync(Admin(HttpMethod.Post, "/ReadUser", $$"""{"name":"{{name}}"}"""));

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.Status);
        Assert.Equal("user_exists", duplicate.Body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal(20, read.Body.GetProperty("rpm").GetInt64());
        Assert.Equal(2000, read.Body.GetProperty("tpm").GetInt64());
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
    }

    [Theory]
    [InlineData("/UpdateUser")]
    [InlineData("/DeleteUser")]
    [InlineData("/ReadUser")]
    public async Task AibrixRoute_MissingUser_Is404(string path)
    {
        var (status, body) = await SendAsync(Admin(HttpMethod.Post, path, $$"""{"name":"{{Name()}}","rpm":1,"tpm":1}"""));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("user_not_found", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("{\"name\":")]
    [InlineData("[1,2]")]
    [InlineData("{\"name\":\"x\",\"rpm\":\"ten\"}")]
    [InlineData("{\"rpm\":5}")]
    [InlineData("{\"name\":\"x\",\"rpm\":-1,\"tpm\":10}")]
    [InlineData("{\"name\":\"x\",\"rpm\":1,\"tpm\":-10}")]
    [InlineData("{\"name\":\"x\",\"rpm\":1.5,\"tpm\":10}")]
    [InlineData("{\"name\":\"x\",\"rpm\":1e30,\"tpm\":10}")]
    [InlineData("")]
    [InlineData("{\"name\":7}")]
    public async Task CreateUser_MalformedBody_Is400(string json)
    {
        var (status, body) = await SendAsync(Admin(HttpMethod.Post, "/CreateUser", json));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_body", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task RestRoutes_PutGetListDelete()
    {
        string name = Name();

        var put = await SendAsync(Admin(HttpMethod.Put, $"/v1/users/{name}", """{"rpm":5,"tpm":500}"""));
        var putAgain = await SendAsync(Admin(HttpMethod.Put, $"/v1/users/{name}", """{"rpm":6,"tpm":600}"""));
        var get = await SendAsync(Admin(HttpMethod.Get, $"/v1/users/{name}"));
        var list = await SendAsync(Admin(HttpMethod.Get, "/v1/users"));
        var delete = await SendAsync(Admin(HttpMethod.Delete, $"/v1/users/{name}"));
        var deleteAgain = await SendAsync(Admin(HttpMethod.Delete, $"/v1/users/{name}"));

        Assert.Equal(HttpStatusCode.Created, put.Status);
        Assert.Equal(HttpStatusCode.OK, putAgain.Status);
        Assert.Equal(6, get.Body.GetProperty("rpm").GetInt64());
        Assert.Contains(list.Body.GetProperty("data").EnumerateArray(), u => u.GetProperty("name").GetString() == name);
        Assert.Equal(HttpStatusCode.NoContent, delete.Status);
        Assert.Equal(HttpStatusCode.NotFound, deleteAgain.Status);
    }

    [Fact]
    public async Task Keys_CreateShowsKeyOnce_ListShowsPrefix_DeleteRevokes()
    {
        string name = Name();
        await SendAsync(Admin(HttpMethod.Put, $"/v1/users/{name}", """{"rpm":0,"tpm":0}"""));

        var created = await SendAsync(Admin(HttpMethod.Post, $"/v1/users/{name}/keys"));
        string key = created.Body.GetProperty("key").GetString()!;
        string id = created.Body.GetProperty("id").GetString()!;
        var list = await SendAsync(Admin(HttpMethod.Get, $"/v1/users/{name}/keys"));
        var revoke = await SendAsync(Admin(HttpMethod.Delete, $"/v1/users/{name}/keys/{id}"));
        var revokeAgain = await SendAsync(Admin(HttpMethod.Delete, $"/v1/users/{name}/keys/{id}"));
        var forMissingUser = await SendAsync(Admin(HttpMethod.Post, $"/v1/users/{Name()}/keys"));

        Assert.Equal(HttpStatusCode.Created, created.Status);
        var listed = Assert.Single(list.Body.GetProperty("data").EnumerateArray());
        Assert.False(listed.TryGetProperty("key", out _));
        Assert.StartsWith(listed.GetProperty("prefix").GetString()!, key, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, revoke.Status);
        Assert.Equal(HttpStatusCode.NotFound, revokeAgain.Status);
        Assert.Equal(HttpStatusCode.NotFound, forMissingUser.Status);
    }
}
