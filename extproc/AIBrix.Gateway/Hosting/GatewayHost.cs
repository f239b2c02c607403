using System.Diagnostics;
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
using AIBrix.Gateway.Standalone;
using Yarp.ReverseProxy.Forwarder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AIBrix.Gateway.Hosting;

/// <summary>
/// Builds the gateway in either mode over the same services (endpoint registry, scraper, config
/// reload, routing, pipeline, metrics). <c>extproc</c>: gRPC ext_proc on one port, the HTTP side port
/// on another. <c>standalone</c>: one HTTP port serving the OpenAI API through YARP, plus the same
/// side routes and the operator page.
/// </summary>
internal static class GatewayHost
{
    /// <summary>Loads the config (every error listed) and builds the app, not started.</summary>
    public static WebApplication Build(GatewayCommandLine cli, Action<IServiceCollection>? configureServices = null)
    {
        string? environmentDefault = Environment.GetEnvironmentVariable(GatewayHeaders.RoutingAlgorithmEnv);
        var probe = RoutingPolicyRegistry.CreateDefault(null);
        bool kubernetes = cli.DiscoversEndpoints;
        string configText = File.Exists(cli.ConfigPath) ? File.ReadAllText(cli.ConfigPath) : "";
        // With Kubernetes discovery the file (optional) carries everything but the endpoints: Redis,
        // auth, limits, routing and scrape settings. It is read once at start-up.
        var load = kubernetes && cli.ConfigPath is null
            ? KubernetesDiscoveryService.Config(environmentDefault, name => probe.TryGet(name, out _))
            : GatewayConfigLoader.LoadFile(cli.ConfigPath!, name => probe.TryGet(name, out _), environmentDefault, endpointsDiscovered: kubernetes);
        if (load.Config is not { } config)
        {
            throw new InvalidConfigException(load.Errors);
        }

        bool standalone = cli.Mode == GatewayCommandLine.StandaloneMode;
        // A proxy with nowhere to defer to must pick: standalone falls back to least-request. So must an InferencePool's
        // endpoint picker: the protocol has no "route by model" answer.
        bool picker = cli.Discovery == GatewayCommandLine.InferencePoolDiscovery;
        string? defaultStrategy = config.DefaultStrategy ?? (standalone || picker ? RoutingPolicies.LeastRequest : null);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        // Per-request framework logs cost throughput and say nothing the metrics don't; keep their warnings.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Yarp", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var address = cli.Listen == "localhost" ? IPAddress.Loopback : IPAddress.Parse(cli.Listen);
            // Envoy speaks HTTP/2 without TLS (h2c) to ext_proc; an HTTP/2-only listener allows it.
            if (standalone)
            {
                kestrel.Listen(address, cli.Port, o => o.Protocols = HttpProtocols.Http1);
                kestrel.Limits.MaxRequestBodySize = null; // the pipeline enforces its own limit with a 413 in OpenAI's shape
                return;
            }

            kestrel.Listen(address, cli.GrpcPort, o => o.Protocols = HttpProtocols.Http2);
            kestrel.Listen(address, cli.HttpPort, o => o.Protocols = HttpProtocols.Http1);
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1024;
        });

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new EndpointRegistry());
        services.AddSingleton(cli.Shedding);
        services.AddSingleton(sp => RoutingPolicyRegistry.CreateDefault(defaultStrategy, options: config.Routing, time: sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IEndpointSource>(sp => sp.GetRequiredService<EndpointRegistry>());
        services.AddSingleton(sp => new GatewayMetrics(sp.GetRequiredService<IEndpointSource>(), sp.GetRequiredService<TimeProvider>()));
        services.AddGatewayLimits(config, cli);
        services.AddLoadMonitor(config, cli);
        services.AddSingleton(sp => new RoutingDecisionLog(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new GatewayPipeline(
            sp.GetRequiredService<IEndpointSource>(),
            sp.GetRequiredService<RoutingPolicyRegistry>(),
            new CompositeObserver([sp.GetRequiredService<GatewayMetrics>(), sp.GetRequiredService<RoutingDecisionLog>(), .. sp.GetServices<LoadMonitorObserver>()]),
            new GatewayPipelineOptions { PassiveHealth = config.PassiveHealth },
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Core.Limits.RequestLimiter>()));
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

        if (standalone)
        {
            services.AddHttpForwarder();
            services.AddSingleton(_ => new HttpMessageInvoker(new SocketsHttpHandler
            {
                UseProxy = false,
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.None,
                UseCookies = false,
                ConnectTimeout = TimeSpan.FromSeconds(2),
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
                EnableMultipleHttp2Connections = true,
                ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
            }));
            services.AddSingleton<StandaloneProxy>();
        }
        else
        {
            services.AddGrpc(o =>
            {
                o.MaxReceiveMessageSize = 64 * 1024 * 1024; // Envoy buffers whole bodies into one message
                o.EnableDetailedErrors = false;
            });
        }

        configureServices?.Invoke(services);

        var app = builder.Build();
        app.Services.GetRequiredService<EndpointRegistry>().Apply(config.Endpoints);
        app.MapSidePort();
        app.MapAdmin();
        if (standalone)
        {
            app.MapStandalone();
        }
        else
        {
            app.MapGrpcService<ExtProcService>();
            app.MapGrpcService<ExtAuthzService>();
            app.MapGrpcService<GrpcHealthService>();
        }

        LimitsSetup.LogLimits(app, config);
        return app;
    }

    /// <summary>
    /// The ports actually bound (useful when 0 was asked for). extproc: gRPC, then HTTP side port;
    /// standalone: the one port, twice.
    /// </summary>
    public static (int GrpcPort, int HttpPort) BoundPorts(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a).Port)
            .ToArray();
        return addresses.Length == 1 ? (addresses[0], addresses[0]) : (addresses[0], addresses[1]);
    }
}

/// <summary>The config file is invalid; <see cref="Errors"/> lists every problem.</summary>
internal sealed class InvalidConfigException(IReadOnlyList<string> errors)
    : Exception("invalid configuration:\n  " + string.Join("\n  ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
