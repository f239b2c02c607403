using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Discovery;
using AIBrix.Gateway.Redis;

namespace AIBrix.Gateway.Http;

/// <summary>
/// One readiness rule for <c>/readyz</c> and the gRPC health service: ready once every endpoint has been scraped at
/// least once (successfully or not), so the first requests see real engine state instead of an empty fleet, and, when
/// limits live in Redis, once Redis has been reached (see <see cref="RedisReadiness"/> for why only once), and, with
/// Kubernetes or InferencePool discovery, once discovery has published its first list (GIE's "datastore synced"):
/// before that an empty registry would look ready.
/// </summary>
internal static class GatewayReadiness
{
    /// <summary>Endpoints not scraped yet.</summary>
    public static int NotScrapedYet(EndpointSnapshot snapshot) => snapshot.All.Count(e => ReferenceEquals(e.Health, EndpointHealth.Initial));

    /// <summary>Whether the gateway is ready to take requests.</summary>
    public static async Task<bool> IsReadyAsync(EndpointRegistry registry, IServiceProvider services)
    {
        if (services.GetService<KubernetesEndpointDiscovery>() is { Publishes: 0 } || NotScrapedYet(registry.Current) > 0)
        {
            return false;
        }

        return services.GetService<RedisReadiness>() is not { } redis || await redis.CheckAsync();
    }
}
