using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AIBrix.Gateway.Tests.Infrastructure;

/// <summary>The real ext_proc gateway on loopback ports picked by the OS, with a config file of its own.</summary>
public sealed class GatewayTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayTestHost(WebApplication app, string configPath, int grpcPort, int httpPort)
    {
        _app = app;
        ConfigPath = configPath;
        GrpcPort = grpcPort;
        HttpPort = httpPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
    }

    public string ConfigPath { get; }

    public int GrpcPort { get; }

    public int HttpPort { get; }

    /// <summary>The side port (extproc) or the one port (standalone).</summary>
    public HttpClient Http { get; }

    /// <summary>Base URL of the HTTP port.</summary>
    public Uri BaseAddress => Http.BaseAddress!;

    public IServiceProvider Services => _app.Services;

    public EndpointRegistry Registry => _app.Services.GetRequiredService<EndpointRegistry>();

    /// <summary>YAML for endpoints at the given addresses, all serving <paramref name="model"/>.</summary>
    public static string ConfigFor(IEnumerable<string> addresses, string model, string? defaultStrategy = "least-request", string extra = "")
    {
        var lines = new List<string> { "endpoints:" };
        int i = 0;
        foreach (var address in addresses)
        {
            lines.Add($"  - {{name: pod-{i++}, address: \"{address}\", model: \"{model}\", engine: vllm, labels: {{index: \"{i}\"}}}}");
        }

        if (defaultStrategy is not null)
        {
            lines.Add($"routing: {{defaultStrategy: {defaultStrategy}}}");
        }

        lines.Add("metrics: {scrapeIntervalMs: 50, scrapeTimeoutMs: 300}");
        return string.Join("\n", lines) + "\n" + extra;
    }

    /// <summary>Starts the gateway; <paramref name="standalone"/> picks the YARP mode (one HTTP port) over ext_proc.</summary>
    public static async Task<GatewayTestHost> StartAsync(string configYaml, bool waitUntilReady = true, bool standalone = false, IEnumerable<string>? extraArgs = null, Action<IServiceCollection>? configureServices = null)
    {
        string path = Path.Combine(Path.GetTempPath(), $"aibrix-gw-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, configYaml);
        string[] args = standalone
            ? ["standalone", "--config", path, "--port", "0", "--listen", "127.0.0.1"]
            : ["extproc", "--config", path, "--grpc-port", "0", "--http-port", "0", "--listen", "127.0.0.1"];
        var cli = GatewayCommandLine.Parse([.. args, .. extraArgs ?? []]);
        var app = GatewayHost.Build(cli, configureServices);
        await app.StartAsync();
        var (grpc, http) = GatewayHost.BoundPorts(app);
        var host = new GatewayTestHost(app, path, grpc, http);
        if (waitUntilReady)
        {
            await host.WaitUntilAsync(r => r.All.All(e => e.IsReady), "every endpoint ready");
            await host.WaitUntilReadyzAsync();
        }

        return host;
    }

    /// <summary>Polls the registry until <paramref name="condition"/> holds (10 s at most).</summary>
    public async Task WaitUntilAsync(Func<EndpointSnapshot, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition(Registry.Current))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gateway never reached: {what}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Polls <c>/readyz</c> until it answers 200 (20 s at most): endpoints scraped and Redis reached.</summary>
    public async Task WaitUntilReadyzAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            using var response = await Http.GetAsync("/readyz");
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("gateway /readyz never said ready: " + await response.Content.ReadAsStringAsync());
            }

            await Task.Delay(20);
        }
    }

    public EnvoyEmulator Envoy() => new(GrpcPort);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        File.Delete(ConfigPath);
    }
}
