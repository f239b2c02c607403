using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Redis;

namespace AIBrix.Gateway.Http;

/// <summary>
/// One readiness rule for <c>/readyz</c> and the gRPC health service: ready once every endpoint has been scraped at
/// least once (successfully or not), so the first requests see real engine state instead of an empty fleet, and, when
/// limits live in Redis, once Redis has been reached (see <see cref="RedisReadiness"/> for why only once).
/// </summary>
internal static class GatewayReadiness
{
    /// <summary>Endpoints not scraped yet.</summary>
    public static int NotScrapedYet(EndpointSnapshot snapshot) => snapshot.All.Count(e => ReferenceEquals(e.Health, EndpointHealth.Initial));

    /// <summary>Whether the gateway is ready to take requests.</summary>
    public static async Task<bool> IsReadyAsync(EndpointRegistry registry, RedisReadiness? redis) =>
        NotScrapedYet(registry.Current) == 0 && (redis is null || await redis.CheckAsync());
}
