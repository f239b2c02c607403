using System.Net;
using AIBrix.Gateway.Core;
using AIBrix.Gateway.Core.Config;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Metrics;
using AIBrix.Gateway.Core.Processing;
using AIBrix.Gateway.Core.Routing;
using AIBrix.Gateway.ExtProc;
using AIBrix.Gateway.Http;
using AIBrix.Gateway.Observability;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AIBrix.Gateway.Hosting;

/// <summary>Builds the ext_proc gateway: gRPC on one port, the HTTP side port on another.</summary>
internal static class ExtProcHost
{
    /// <summary>Loads the config (every error listed) and builds the app, not started.</summary>
    public static WebApplication Build(GatewayCommandLine cli, Action<IServiceCollection>? configureServices = null)
    {
        string? environmentDefault = Environment.GetEnvironmentVariable(GatewayHeaders.RoutingAlgorithmEnv);
        var probe = RoutingPolicyRegistry.CreateDefault(null);
        bool kubernetes = cli.Discovery == "kubernetes";
        string configText = File.Exists(cli.ConfigPath) ? File.ReadAllText(cli.ConfigPath) : "";
        var load = kubernetes
            ? KubernetesDiscoveryService.Config(environmentDefault, name => probe.TryGet(name, out _))
            : GatewayConfigLoader.LoadFile(cli.ConfigPath!, name => probe.TryGet(name, out _), environmentDefault);
        if (load.Config is not { } config)
        {
            throw new InvalidConfigException(load.Errors);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var address = cli.Listen == "localhost" ? IPAddress.Loopback : IPAddress.Parse(cli.Listen);
            // Envoy speaks HTTP/2 without TLS (h2c) to ext_proc; an HTTP/2-only listener allows it.
            kestrel.Listen(address, cli.GrpcPort, o => o.Protocols = HttpProtocols.Http2);
            kestrel.Listen(address, cli.HttpPort, o => o.Protocols = HttpProtocols.Http1);
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1024;
        });

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new EndpointRegistry());
        services.AddSingleton(_ => RoutingPolicyRegistry.CreateDefault(config.DefaultStrategy));
        services.AddSingleton<IEndpointSource>(sp => sp.GetRequiredService<EndpointRegistry>());
        services.AddSingleton(sp => new GatewayMetrics(sp.GetRequiredService<IEndpointSource>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new GatewayPipeline(
            sp.GetRequiredService<IEndpointSource>(),
            sp.GetRequiredService<RoutingPolicyRegistry>(),
            sp.GetRequiredService<GatewayMetrics>()));
        services.AddSingleton(sp => new EngineMetricsScraper(
            new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1), ConnectTimeout = config.ScrapeTimeout }),
            new ScrapeOptions { Interval = config.ScrapeInterval, Timeout = config.ScrapeTimeout },
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<EngineMetricsScraper>()));
        services.AddHostedService<EngineScrapeService>();
        if (kubernetes)
        {
            services.AddKubernetesDiscovery(cli);
        }
        else
        {
            services.AddSingleton(sp => new ConfigFileWatcher(
                cli.ConfigPath!,
                configText,
                name => sp.GetRequiredService<RoutingPolicyRegistry>().TryGet(name, out _),
                environmentDefault,
                sp.GetRequiredService<TimeProvider>()));
            services.AddHostedService<ConfigReloadService>();
        }

        services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = 64 * 1024 * 1024; // Envoy buffers whole bodies into one message
            o.EnableDetailedErrors = false;
        });
        configureServices?.Invoke(services);

        var app = builder.Build();
        app.Services.GetRequiredService<EndpointRegistry>().Apply(config.Endpoints);
        app.MapGrpcService<ExtProcService>();
        app.MapSidePort();
        return app;
    }

    /// <summary>The ports actually bound (useful when 0 was asked for): gRPC first, then HTTP.</summary>
    public static (int GrpcPort, int HttpPort) BoundPorts(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a).Port)
            .ToArray();
        return (addresses[0], addresses[1]);
    }
}

/// <summary>The config file is invalid; <see cref="Errors"/> lists every problem.</summary>
internal sealed class InvalidConfigException(IReadOnlyList<string> errors)
    : Exception("invalid configuration:\n  " + string.Join("\n  ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
