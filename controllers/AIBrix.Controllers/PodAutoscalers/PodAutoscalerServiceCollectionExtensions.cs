using AIBrix.Controllers.Hosting;
using k8s;

namespace AIBrix.Controllers.PodAutoscalers;

/// <summary>Registers the PodAutoscaler controller with the manager.</summary>
internal static class PodAutoscalerServiceCollectionExtensions
{
    /// <summary>Adds the controller when <c>--controllers</c> names it (or names nothing); otherwise leaves the services as they are.</summary>
    public static IServiceCollection AddPodAutoscalerController(this IServiceCollection services, ControllerCommandLine cli)
    {
        if (!cli.Controllers.Contains(ControllerNames.PodAutoscaler))
        {
            return services;
        }

        services.AddSingleton(sp => new PodAutoscalerController(
            sp.GetRequiredService<IKubernetes>(),
            new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, // each scrape has its own deadline (ScrapeTimeout)
            new PodAutoscalerOptions { Namespaces = cli.Namespaces, Workers = cli.Workers, Interval = TimeSpan.FromSeconds(cli.AutoscalerIntervalSeconds) },
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IManagedController>(sp => sp.GetRequiredService<PodAutoscalerController>());
        return services;
    }
}
