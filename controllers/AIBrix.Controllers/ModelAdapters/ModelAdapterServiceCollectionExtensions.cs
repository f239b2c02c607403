using AIBrix.Controllers.Hosting;
using k8s;

namespace AIBrix.Controllers.ModelAdapters;

/// <summary>Registers the ModelAdapter controller with the manager.</summary>
internal static class ModelAdapterServiceCollectionExtensions
{
    public static IServiceCollection AddModelAdapterController(this IServiceCollection services, ControllerCommandLine cli)
    {
        if (!cli.Controllers.Contains(ControllerNames.ModelAdapter))
        {
            return services;
        }

        services.AddSingleton(sp => new ModelAdapterController(
            sp.GetRequiredService<IKubernetes>(),
            new EngineAdapterClient(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }),
            new ModelAdapterOptions { Namespaces = cli.Namespaces, Workers = cli.Workers },
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IManagedController>(sp => sp.GetRequiredService<ModelAdapterController>());
        return services;
    }
}
