using AIBrix.Controllers.Fleets.ReplicaSets;
using AIBrix.Controllers.Hosting;
using k8s;

namespace AIBrix.Controllers.Fleets;

/// <summary>Registers the RayClusterFleet and RayClusterReplicaSet controllers with the manager (<c>--controllers fleet</c>).</summary>
internal static class FleetServiceCollectionExtensions
{
    public static IServiceCollection AddFleetControllers(this IServiceCollection services, ControllerCommandLine cli)
    {
        if (!cli.Controllers.Contains(ControllerNames.Fleet))
        {
            return services;
        }

        var options = new FleetOptions { Namespaces = cli.Namespaces, Workers = cli.Workers };
        services.AddSingleton(sp => new RayClusterFleetController(sp.GetRequiredService<IKubernetes>(), options, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => new RayClusterReplicaSetController(sp.GetRequiredService<IKubernetes>(), options, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IManagedController>(sp => sp.GetRequiredService<RayClusterFleetController>());
        services.AddSingleton<IManagedController>(sp => sp.GetRequiredService<RayClusterReplicaSetController>());
        return services;
    }
}
