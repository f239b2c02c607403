using AIBrix.Gateway.Core;
using AIBrix.Gateway.Core.Config;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Discovery;
using AIBrix.Kubernetes;
using k8s;

namespace AIBrix.Gateway.Hosting;

/// <summary>
/// <c>--discovery kubernetes</c> (or <c>inferencepool</c>): feeds the <see cref="EndpointRegistry"/> from model pods and
/// ModelAdapters (or an InferencePool's members) instead of the config file. The registry interface is the same; only the source differs.
/// </summary>
internal sealed partial class KubernetesDiscoveryService(KubernetesEndpointDiscovery discovery) : BackgroundService
{
    /// <summary>The settings a config file would give, from defaults and ROUTING_ALGORITHM.</summary>
    public static ConfigLoadResult Config(string? environmentDefault, Func<string, bool> isKnownStrategy) =>
        environmentDefault is { Length: > 0 } s && !isKnownStrategy(s)
            ? new ConfigLoadResult(null, [$"{GatewayHeaders.RoutingAlgorithmEnv}: unknown routing strategy '{s}'"])
            : new ConfigLoadResult(new GatewayConfig([], environmentDefault, GatewayDefaults.ScrapeInterval, TimeSpan.FromSeconds(1), null), []);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => discovery.RunAsync(stoppingToken);
}

/// <summary>Registration of Kubernetes discovery.</summary>
internal static partial class KubernetesDiscoveryExtensions
{
    public static IServiceCollection AddKubernetesDiscovery(this IServiceCollection services, GatewayCommandLine cli)
    {
        // Built now, not when the host first resolves it: a missing kubeconfig is a bad start-up setting
        // (one line, exit 2), not an exception thrown from inside the host's start.
        IKubernetes client;
        try
        {
            client = KubernetesClientFactory.Create(cli.Kubeconfig);
        }
        catch (Exception e) when (e is InvalidOperationException or k8s.Exceptions.KubeConfigException or IOException)
        {
            throw new UnusableStartupException($"--discovery {cli.Discovery}: {e.Message}", e);
        }

        services.AddSingleton(sp =>
        {
            var registry = sp.GetRequiredService<EndpointRegistry>();
            var logger = sp.GetRequiredService<ILoggerFactory>();
            var log = logger.CreateLogger("AIBrix.Gateway.Discovery");
            void Publish(IReadOnlyList<EndpointSpec> specs)
            {
                registry.Apply(specs);
                Log.Published(log, specs.Count);
            }

            return cli.Discovery == GatewayCommandLine.InferencePoolDiscovery
                ? KubernetesEndpointDiscovery.ForInferencePool(client, cli.PoolNamespace, cli.Pool!, Publish, loggers: logger)
                : new KubernetesEndpointDiscovery(client, cli.Namespaces, Publish, loggers: logger);
        });
        services.AddHostedService<KubernetesDiscoveryService>();
        return services;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "kubernetes discovery: {Endpoints} endpoints")]
        public static partial void Published(ILogger logger, int endpoints);
    }
}
