using AIBrix.Gateway.Core.Config;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing;

namespace AIBrix.Gateway.Hosting;

/// <summary>Applies config file changes while running; an invalid file is logged and ignored.</summary>
internal sealed partial class ConfigReloadService(
    ConfigFileWatcher watcher,
    EndpointRegistry registry,
    RoutingPolicyRegistry policies,
    ILogger<ConfigReloadService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        watcher.RunAsync(
            config =>
            {
                registry.Apply(config.Endpoints);
                policies.SetDefault(config.DefaultStrategy);
                Log.Reloaded(logger, config.Endpoints.Count, config.DefaultStrategy ?? "(none)");
            },
            errors => Log.Invalid(logger, string.Join(Environment.NewLine, errors)),
            stoppingToken);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "config reloaded: {Endpoints} endpoints, default strategy {Strategy}")]
        public static partial void Reloaded(ILogger logger, int endpoints, string strategy);

        [LoggerMessage(2, LogLevel.Error, "config change rejected, keeping the previous config:\n{Errors}")]
        public static partial void Invalid(ILogger logger, string errors);
    }
}
