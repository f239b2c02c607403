using AIBrix.Controllers.Hosting;
using k8s;

namespace AIBrix.Controllers.ColdStart;

/// <summary>Registers the cold-start controller with the manager when <c>--controllers</c> names it.</summary>
internal static class ColdStartServiceCollectionExtensions
{
    public static IServiceCollection AddColdStartController(this IServiceCollection services, ControllerCommandLine cli)
    {
        if (!cli.Controllers.Contains(ControllerNames.ColdStart))
        {
            return services;
        }

        services.AddSingleton(sp => new ColdStartController(
            sp.GetRequiredService<IKubernetes>(),
            new RuntimeArtifactsClient(new HttpClient { Timeout = TimeSpan.FromSeconds(10) }),
            new ColdStartOptions { Namespaces = cli.Namespaces, Interval = TimeSpan.FromSeconds(cli.ColdStartIntervalSeconds) },
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IManagedController>(sp => sp.GetRequiredService<ColdStartController>());
        return services;
    }
}
