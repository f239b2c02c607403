using System.Text;
using System.Text.Json;
using AIBrix.EngineSim;

namespace AIBrix.Runtime.Tests;

/// <summary>The real runtime on a free port in front of a real engine simulator on another; both stopped on dispose.</summary>
internal sealed class RuntimeUnderTest : IAsyncDisposable
{
    private RuntimeUnderTest(SimulatorHost? engine, RuntimeHost runtime)
    {
        Engine = engine;
        Runtime = runtime;
        Client = new HttpClient { BaseAddress = runtime.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public SimulatorHost? Engine { get; private set; }

    public RuntimeHost Runtime { get; }

    public HttpClient Client { get; }

    public RuntimeOptions Options => (RuntimeOptions)Runtime.App.Services.GetService(typeof(RuntimeOptions))!;

    public SimulatorInstance EngineInstance => Engine!.Instances[0];

    public static async Task<RuntimeUnderTest> StartAsync(
        Func<RuntimeOptions, RuntimeOptions>? configure = null,
        MetricsDialect dialect = MetricsDialect.VllmV1,
        bool withEngine = true,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null)
    {
        SimulatorHost? engine = withEngine
            ? await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, TimeScale = 200, MetricsDialect = dialect, MaxLoras = 4, LoraLoadTime = TimeSpan.Zero })
            : null;
        try
        {
            var options = new RuntimeOptions
            {
                Port = 0,
                Host = "127.0.0.1",
                // Nothing listens on port 1: a dead engine for the tests that start without one.
                EngineUrl = engine?.Instances[0].BaseAddress ?? new Uri("http://127.0.0.1:1/"),
                ModelsDir = Path.Combine(Path.GetTempPath(), "aibrix-runtime-tests", Guid.NewGuid().ToString("N")),
                MetricsCacheTtl = TimeSpan.Zero,
                ScrapeTimeout = TimeSpan.FromSeconds(20),
                EngineTimeout = TimeSpan.FromSeconds(30),
            };
            var runtime = await RuntimeHost.StartAsync(configure?.Invoke(options) ?? options, services);
            return new RuntimeUnderTest(engine, runtime);
        }
        catch
        {
            if (engine is not null)
            {
                await engine.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Stops the engine (the runtime keeps running).</summary>
    public async Task StopEngineAsync()
    {
        if (Engine is { } engine)
        {
            Engine = null;
            await engine.DisposeAsync();
        }
    }

    public async Task<(int Status, string Body)> PostAsync(string path, string body)
    {
        using var response = await Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<(int Status, string Body)> GetAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The OpenAI error's code, or null when the body is not one.</summary>
    public static string? ErrorCode(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("error", out var e) && e.TryGetProperty("code", out var c) ? c.ToString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        string dir = Options.ModelsDir;
        Client.Dispose();
        await Runtime.DisposeAsync();
        await StopEngineAsync();
        if (dir.Length > 0 && Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
