using AIBrix.Controllers.Hosting;
using AIBrix.Redis;
using k8s;
using StackExchange.Redis;

namespace AIBrix.Controllers.GpuOptimizer;

/// <summary>Registers the GPU optimizer with the manager.</summary>
internal static class GpuOptimizerServiceCollectionExtensions
{
    /// <summary>Adds the optimizer when <c>--controllers</c> names it (never by default: it needs <c>--gpu-optimizer-redis</c>).</summary>
    public static IServiceCollection AddGpuOptimizerController(this IServiceCollection services, ControllerCommandLine cli, IConnectionMultiplexer? connection = null)
    {
        if (!cli.Controllers.Contains(ControllerNames.GpuOptimizer) || cli.GpuOptimizerRedis is not { } redis)
        {
            return services;
        }

        services.AddSingleton(sp => new GpuOptimizerController(
            sp.GetRequiredService<IKubernetes>(),
            // The gateway's connection forms (one server, Cluster seeds, sentinels with serviceName=): a Redis that is down
            // at start is retried; each round reports it and keeps the counts.
            connection ?? Connect(redis),
            new GpuOptimizerOptions
            {
                Namespaces = cli.Namespaces,
                Interval = TimeSpan.FromSeconds(cli.GpuOptimizerIntervalSeconds),
                Window = TimeSpan.FromSeconds(cli.GpuOptimizerWindowSeconds),
            },
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IManagedController>(sp => sp.GetRequiredService<GpuOptimizerController>());
        return services;
    }

    /// <summary>Connects to the optimizer's Redis as the gateway does (<see cref="RedisConnector"/>); throws <see cref="RedisSetupException"/> on a setting that cannot work.</summary>
    public static ConnectionMultiplexer Connect(string address) => RedisConnector.Connect(address, clientName: "aibrix-controllers");
}
