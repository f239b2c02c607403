using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AIBrix.EngineSim;
using AIBrix.Gateway.Redis.Tests;
using AIBrix.Gateway.Tests.Infrastructure;

namespace AIBrix.Gateway.Tests.Limits;

/// <summary>
/// A real redis-server, three simulated engines and three gateway replicas sharing that Redis, with
/// <c>auth.mode: apikey</c> and an admin token.
/// </summary>
public sealed class LimitsFleetFixture : IAsyncLifetime
{
    public const string AdminToken = "test-admin-token";

    public RedisServer Redis { get; private set; } = null!;

    public SimulatorHost Simulators { get; private set; } = null!;

    public List<GatewayTestHost> Gateways { get; } = [];

    public GatewayTestHost Gateway => Gateways[0];

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        Simulators = await SimulatorHost.StartAsync(new SimulatorOptions { Instances = 3, Port = 0, Model = SimFleetFixture.Model, TimeScale = 50, Seed = 7, OutputLenMean = 8 });
        var addresses = Simulators.Instances.Select(i => $"127.0.0.1:{i.Port}");
        string config = GatewayTestHost.ConfigFor(addresses, SimFleetFixture.Model, extra: $"redis: \"{Redis.HostPort}\"\nauth: {{mode: apikey}}\nlimits: {{failureMode: open, defaultMaxTokens: 64}}\n");
        for (int i = 0; i < 3; i++)
        {
            Gateways.Add(await GatewayTestHost.StartAsync(config, extraArgs: ["--admin-token", AdminToken]));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var gateway in Gateways)
        {
            await gateway.DisposeAsync();
        }

        await Simulators.DisposeAsync();
        await Redis.DisposeAsync();
    }

    public static HttpRequestMessage Admin(HttpMethod method, string path, string? json = null, string? token = AdminToken)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        return request;
    }

    /// <summary>Creates a user with the given budgets and one API key for it; returns the key.</summary>
    public async Task<string> UserWithKeyAsync(string name, long rpm, long tpm)
    {
        using var create = await Gateway.Http.SendAsync(Admin(HttpMethod.Post, "/CreateUser", $$"""{"name":"{{name}}","rpm":{{rpm}},"tpm":{{tpm}}}"""));
        Assert.Equal(System.Net.HttpStatusCode.Created, create.StatusCode);
        using var key = await Gateway.Http.SendAsync(Admin(HttpMethod.Post, $"/v1/users/{name}/keys"));
        Assert.Equal(System.Net.HttpStatusCode.Created, key.StatusCode);
        using var doc = JsonDocument.Parse(await key.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("key").GetString()!;
    }

    public static KeyValuePair<string, string>[] Bearer(string key) => [new("authorization", "Bearer " + key)];
}
