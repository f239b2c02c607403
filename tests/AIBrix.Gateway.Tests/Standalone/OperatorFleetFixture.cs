using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AIBrix.EngineSim;
using AIBrix.Gateway.Tests.Infrastructure;

namespace AIBrix.Gateway.Tests.Standalone;

/// <summary>
/// Four simulated engines behind a standalone gateway with API keys and an admin token, and real traffic through it:
/// streams with usage (TTFT, inter-token latency, tokens), prefix-cache decisions, a session-affinity fallback, an
/// unknown model (404) and a user over its RPM (429). The operator page tests read what this traffic left.
/// </summary>
public sealed class OperatorFleetFixture : IAsyncLifetime
{
    public const string Model = "llama-sim";
    public const string AdminToken = "ops-secret-token";

    public SimulatorHost Simulators { get; private set; } = null!;

    public GatewayTestHost Gateway { get; private set; } = null!;

    /// <summary>The keys made for alice and bob (never shown by the page).</summary>
    public Dictionary<string, string> Keys { get; } = [];

    public async Task InitializeAsync()
    {
        Simulators = await SimulatorHost.StartAsync(new SimulatorOptions { Instances = 4, Port = 0, Model = Model, TimeScale = 50, Seed = 11, OutputLenMean = 16 });
        var lines = new List<string> { "endpoints:" };
        for (int i = 0; i < Simulators.Instances.Count; i++)
        {
            string adapters = i == 0 ? ", adapters: [sql-lora]" : "";
            lines.Add($"  - {{name: pod-{i}, address: \"127.0.0.1:{Simulators.Instances[i].Port}\", model: \"{Model}\", engine: vllm{adapters}}}");
        }

        lines.Add("routing: {defaultStrategy: least-request}");
        lines.Add("metrics: {scrapeIntervalMs: 50, scrapeTimeoutMs: 300}");
        lines.Add("auth: {mode: apikey}");
        Gateway = await GatewayTestHost.StartAsync(string.Join("\n", lines) + "\n", standalone: true, extraArgs: ["--admin-token", AdminToken]);
        await SendTrafficAsync();
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Simulators.DisposeAsync();
    }

    private async Task SendTrafficAsync()
    {
        using var http = new HttpClient { BaseAddress = Gateway.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        foreach (var (name, rpm) in new[] { ("alice", 1000), ("bob", 2) })
        {
            using var put = await http.PutAsync($"/v1/users/{name}", Json($$"""{"name":"{{name}}","rpm":{{rpm}},"tpm":1000000}"""));
            put.EnsureSuccessStatusCode();
            using var created = await http.PostAsync($"/v1/users/{name}/keys", Json("{}"));
            created.EnsureSuccessStatusCode();
            Keys[name] = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;
        }

        string longPrompt = string.Join(' ', Enumerable.Repeat("the operator page explains every routing choice", 40));
        for (int i = 0; i < 6; i++)
        {
            await ChatAsync("alice", Model, $"stream {i}", stream: true);
        }

        for (int i = 0; i < 3; i++)
        {
            await ChatAsync("alice", Model, longPrompt, stream: true, headers: [("routing-strategy", "prefix-cache")]);
        }

        await ChatAsync("alice", Model, "weighted", stream: false, headers: [("routing-strategy", "prefix-cache:2,least-request:1")]);
        await ChatAsync("alice", Model, "sticky", stream: false, headers: [("routing-strategy", "session-affinity"), ("x-session-id", Convert.ToBase64String(Encoding.UTF8.GetBytes("10.9.9.9:8000")))]);
        await ChatAsync("alice", "no-such-model", "lost", stream: false);
        for (int i = 0; i < 3; i++)
        {
            await ChatAsync("bob", Model, $"bob {i}", stream: false);
        }
    }

    private async Task ChatAsync(string user, string model, string prompt, bool stream, (string Name, string Value)[]? headers = null)
    {
        using var http = new HttpClient { BaseAddress = Gateway.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = Json(JsonSerializer.Serialize(new { model, stream, max_tokens = 8, messages = new[] { new { role = "user", content = prompt } } })),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Keys[user]);
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request);
        await response.Content.ReadAsStringAsync();
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
