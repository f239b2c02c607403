using AIBrix.Gateway.Core;
using AIBrix.Gateway.Core.Config;
using AIBrix.Gateway.Core.Routing;
using AIBrix.Gateway.Http;
using AIBrix.Gateway.Http.Operator;
using AIBrix.Gateway.Observability;
using AIBrix.Gateway.Standalone;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace AIBrix.Gateway.Hosting;

/// <summary>
/// Builds the gateway from one <c>Add…()</c> per feature over the same core services (endpoint registry,
/// scraper, routing, pipeline, metrics): <c>extproc</c> is ext_proc plus ext_authz on the gRPC port and
/// the HTTP side port; <c>standalone</c> is one HTTP port serving the OpenAI API through YARP, plus the
/// same side routes and the operator page. Limits, discovery (config file or Kubernetes) and the admin
/// API are features of either mode.
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

        var services = builder.Services;
        services.AddGatewayCore(config, defaultStrategy);
        services.AddSingleton(new OperatorInfo(standalone ? GatewayCommandLine.StandaloneMode : GatewayCommandLine.ExtProcMode));
        services.AddGatewayLimits(config);
        services.AddGatewayAdmin(cli);
        services.AddLoadMonitor(config, cli);
        if (kubernetes)
        {
            services.AddKubernetesDiscovery(cli);
        }
        else
        {
            services.AddConfigFileDiscovery(cli.ConfigPath!, configText, environmentDefault);
        }

        if (standalone)
        {
            services.AddStandalone(cli);
        }
        else
        {
            services.AddExtProc(cli);
            services.AddExtAuthz();
        }

        configureServices?.Invoke(services);

        var app = builder.Build();
        app.UseGatewayCore(config);
        app.MapSidePort();
        app.MapAdmin();
        if (standalone)
        {
            app.MapStandalone();
        }
        else
        {
            app.MapExtProc();
            app.MapExtAuthz();
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

/// <summary>
/// A start-up setting the gateway cannot run with (no Kubernetes configuration, a port already taken);
/// the tool prints <see cref="Exception.Message"/> on one line and exits 2, like a bad argument.
/// </summary>
internal sealed class UnusableStartupException(string message, Exception? inner = null)
    : Exception(message.ReplaceLineEndings(" "), inner);
