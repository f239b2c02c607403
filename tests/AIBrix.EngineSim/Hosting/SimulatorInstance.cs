using System.Net;
using AIBrix.EngineSim.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AIBrix.EngineSim;

/// <summary>One simulated engine: its HTTP server on its own port and its <see cref="EngineModel"/>.</summary>
public sealed class SimulatorInstance : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly InstanceRuntime _runtime;
    private readonly KvEventsPublishing? _kvEvents;

    private SimulatorInstance(WebApplication app, InstanceRuntime runtime, Uri baseAddress, KvEventsPublishing? kvEvents)
    {
        _app = app;
        _runtime = runtime;
        BaseAddress = baseAddress;
        _kvEvents = kvEvents;
    }

    /// <summary>Position of this instance in <see cref="SimulatorHost.Instances"/>.</summary>
    public int Index => _runtime.Index;

    /// <summary>Where it listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The port it listens on.</summary>
    public int Port => BaseAddress.Port;

    /// <summary>Where its KV events are published (<c>tcp://host:port</c>), or null when it publishes none.</summary>
    public string? KvEventsEndpoint => _kvEvents?.Endpoint;

    /// <summary>Its KV event replay endpoint, or null.</summary>
    public string? KvEventsReplayEndpoint => _kvEvents?.ReplayEndpoint;

    /// <summary>
    /// The engine model. Its driver thread mutates it; read it through <see cref="ReadEngine{T}"/> unless the
    /// simulator is idle.
    /// </summary>
    public EngineModel Engine => _runtime.Driver.Model;

    /// <summary>Simulated seconds since the instance started.</summary>
    public double VirtualNow => _runtime.Driver.VirtualNow;

    /// <summary>Faults currently injected; set to change them (takes effect for the next request).</summary>
    public FaultSettings Faults
    {
        get => _runtime.Faults;
        set => _runtime.Faults = value ?? FaultSettings.None;
    }

    /// <summary>Turns every fault off.</summary>
    public void ClearFaults() => _runtime.Faults = FaultSettings.None;

    /// <summary>Reads the engine under its lock, after advancing it to the current time.</summary>
    public T ReadEngine<T>(Func<EngineModel, T> read) => _runtime.Driver.Read(read);

    /// <summary>The engine's load and cache figures now (thread-safe).</summary>
    public EngineSnapshot Snapshot() => _runtime.Driver.Read(static e => e.Snapshot());

    /// <summary>Copies the hashes of the blocks cached now (thread-safe), for an oracle router.</summary>
    public HashSet<ulong> CachedBlockHashes() => _runtime.Driver.Read(static e =>
    {
        var hashes = new HashSet<ulong>();
        e.CopyCachedBlockHashes(hashes);
        return hashes;
    });

    /// <summary>LoRA adapters loaded and ready.</summary>
    public IReadOnlyList<LoraAdapterInfo> LoadedAdapters => _runtime.Lora.Ready();

    internal static async Task<SimulatorInstance> StartAsync(SimulatorOptions options, int index, int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SimulatorInstance).Assembly.GetName().Name,
            Args = [],
        });
        builder.Logging.ClearProviders();
        var address = ParseHost(options.Host);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(address, port);
        });

        var kvEvents = KvEventsPublishing.Start(options, index);
        var model = new EngineModel(options.ToEngineConfig()) { KvEvents = kvEvents };
        var driver = new EngineDriver(model, options.TimeScale);
        var runtime = new InstanceRuntime(options, index, driver);
        var app = builder.Build();
        app.MapSimulator(runtime);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            await driver.DisposeAsync();
            kvEvents?.Dispose();
            throw;
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var actualPort = new Uri(bound.Replace("[::]", "localhost", StringComparison.Ordinal)).Port;
        string host = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? "127.0.0.1"
            : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return new SimulatorInstance(app, runtime, new Uri($"http://{host}:{actualPort}"), kvEvents);
    }

    /// <summary>Stops the server and the engine loop; a second call does nothing (a test may kill one
    /// instance, then dispose the whole host).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            try
            {
                await _app.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Hung requests (fault injection) must not keep the host alive.
            }
        }

        await _app.DisposeAsync();
        await _runtime.Driver.DisposeAsync();
        _kvEvents?.Dispose();
    }

    private int _disposed;

    private static IPAddress ParseHost(string host) =>
        host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "+" => IPAddress.Any,
            _ => IPAddress.TryParse(host, out var ip) ? ip : throw new ArgumentException($"--host '{host}' is not an IP address", nameof(host)),
        };
}
