using AIBrix.Controllers.Hosting;
using k8s;

namespace AIBrix.Controllers.ModelRouter;

/// <summary>Registers the model router with the manager.</summary>
internal static class ModelRouterServiceCollectionExtensions
{
    public static IServiceCollection AddModelRouterController(this IServiceCollection services, ControllerCommandLine cli)
    {
        if (!cli.Controllers.Contains(ControllerNames.ModelRouter))
        {
            return services;
        }

        services.AddSingleton(sp => new ModelRouterController(
            sp.GetRequiredService<IKubernetes>(),
            new ModelRouterOptions
            {
                Namespaces = cli.Namespaces,
                Workers = cli.Workers,
                GatewayName = cli.RouterGatewayName,
                GatewayNamespace = cli.RouterGatewayNamespace,
            },
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IManagedController>(sp => sp.GetRequiredService<ModelRouterController>());
        return services;
    }
}
