using AIBrix.Gateway.Core.Config;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Limits;
using AIBrix.Gateway.Core.Metrics;
using AIBrix.Gateway.Core.Processing;
using AIBrix.Gateway.Core.Routing;
using AIBrix.Gateway.Core.Routing.KvEvents;
using AIBrix.Gateway.Observability;
using AIBrix.Gateway.Observability.History;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AIBrix.Gateway.Hosting;

/// <summary>
/// What every mode shares: the clock, the endpoint registry and its scraper, the routing policies, the
/// request pipeline, its observers (metrics, and the operator page's decision log and history) and the metrics.
/// </summary>
internal static class GatewayCoreServices
{
    public static IServiceCollection AddGatewayCore(this IServiceCollection services, GatewayConfig config, string? defaultStrategy)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new EndpointRegistry());
        services.AddSingleton<IEndpointSource>(sp => sp.GetRequiredService<EndpointRegistry>());
        services.AddKvEvents(config);
        services.AddSingleton(sp => new BuiltInRoutingPolicies(config.Routing, sp.GetRequiredService<TimeProvider>(),
            kvBlocks: sp.GetRequiredService<KvBlockIndex>(), engineHasher: sp.GetRequiredService<EngineHasherHolder>().Hasher));
        // The built-in policies plus every IRoutingPolicy registered (AddRoutingPolicy): no list to edit.
        services.AddSingleton(sp => RoutingPolicyRegistry.Create(
            sp.GetRequiredService<BuiltInRoutingPolicies>(), sp.GetServices<IRoutingPolicy>(), defaultStrategy));
        services.AddSingleton(sp => new GatewayMetrics(sp.GetRequiredService<IEndpointSource>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new RoutingDecisionLog(sp.GetRequiredService<TimeProvider>()));
        // Observers of every request, in order; another (a load monitor, say) is one AddSingleton<IGatewayObserver> away.
        services.AddSingleton<IGatewayObserver>(sp => sp.GetRequiredService<GatewayMetrics>());
        services.AddSingleton<IGatewayObserver>(sp => sp.GetRequiredService<RoutingDecisionLog>());
        // The operator page's 15 minutes: request history from the request path, endpoint series sampled per bucket.
        services.TryAddSingleton(new HistoryOptions());
        services.AddSingleton(sp => new RequestHistory(sp.GetRequiredService<HistoryOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IGatewayObserver>(sp => sp.GetRequiredService<RequestHistory>());
        services.AddSingleton(sp => new EndpointHistory(sp.GetRequiredService<HistoryOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<HistorySampler>();
        services.AddSingleton(sp => new GatewayPipeline(
            sp.GetRequiredService<IEndpointSource>(),
            sp.GetRequiredService<RoutingPolicyRegistry>(),
            new CompositeObserver([.. sp.GetServices<IGatewayObserver>()]),
            new GatewayPipelineOptions { PassiveHealth = config.PassiveHealth },
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<RequestLimiter>()));
        services.AddSingleton(sp => new EngineMetricsScraper(
            new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1), ConnectTimeout = config.ScrapeTimeout }),
            new ScrapeOptions { Interval = config.ScrapeInterval, Timeout = config.ScrapeTimeout },
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<EngineMetricsScraper>()));
        services.AddHostedService<EngineScrapeService>();
        return services;
    }

    /// <summary>
    /// Adds a routing policy: clients name it in <c>routing-strategy</c> (and weighted mixes, when it is
    /// an <see cref="IRoutingScorer"/>) like any built-in one. A name already taken fails at start.
    /// </summary>
    public static IServiceCollection AddRoutingPolicy<TPolicy>(this IServiceCollection services)
        where TPolicy : class, IRoutingPolicy
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRoutingPolicy, TPolicy>());
        return services;
    }

    /// <summary>
    /// Seeds the registry with the config's endpoints (static discovery; Kubernetes replaces them once it
    /// lists), and builds the pipeline now, so a policy name registered twice fails at start, not on the first request.
    /// </summary>
    public static void UseGatewayCore(this WebApplication app, GatewayConfig config)
    {
        app.Services.GetRequiredService<EndpointRegistry>().Apply(config.Endpoints);
        app.Services.GetRequiredService<GatewayPipeline>();
        app.UseKvEvents();
    }
}
