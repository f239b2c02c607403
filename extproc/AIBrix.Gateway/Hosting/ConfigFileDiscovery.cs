using AIBrix.Gateway.Core.Config;
using AIBrix.Gateway.Core.Routing;

namespace AIBrix.Gateway.Hosting;

/// <summary><c>--discovery static</c>: endpoints from the config file, reloaded when it changes.</summary>
internal static class ConfigFileDiscovery
{
    /// <summary><paramref name="configText"/> is the text the running config was loaded from: the watcher reloads when the file differs.</summary>
    public static IServiceCollection AddConfigFileDiscovery(this IServiceCollection services, string configPath, string configText, string? environmentDefault)
    {
        services.AddSingleton(sp => new ConfigFileWatcher(
            configPath,
            configText,
            name => sp.GetRequiredService<RoutingPolicyRegistry>().TryGet(name, out _),
            environmentDefault,
            sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<ConfigReloadService>();
        return services;
    }
}
