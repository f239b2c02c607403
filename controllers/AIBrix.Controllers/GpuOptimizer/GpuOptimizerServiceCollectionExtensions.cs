using AIBrix.Controllers.Hosting;
using k8s;
using StackExchange.Redis;

namespace AIBrix.Controllers.GpuOptimizer;

/// <summary>Registers the GPU optimizer with the manager.</summary>
internal static class GpuOptimizerServiceCollectionExtensions
{
    /// <summary>Adds the optimizer when <c>--controllers</c> names it (never by default: it needs <c>--gpu-optimizer-redis</c>).</summary>
    public static IServiceCollection AddGpuOptimizerController(this IServiceCollection services, ControllerCommandLine cli)
    {
        if (!cli.Controllers.Contains(ControllerNames.GpuOptimizer) || cli.GpuOptimizerRedis is not { } redis)
        {
            return services;
        }

        services.AddSingleton(sp => new GpuOptimizerController(
            sp.GetRequiredService<IKubernetes>(),
            // Not AbortOnConnectFail: a Redis that is down at start is retried; each round reports it and keeps the counts.
            ConnectionMultiplexer.Connect(new ConfigurationOptions { EndPoints = { redis }, AbortOnConnectFail = false }),
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
}
