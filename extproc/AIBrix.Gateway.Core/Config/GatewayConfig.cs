using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing;

namespace AIBrix.Gateway.Core.Config;

/// <summary>The gateway's configuration file, validated. See docs/configuration.md.</summary>
/// <param name="Endpoints">Static endpoints.</param>
/// <param name="DefaultStrategy">Strategy used when a request names none; null leaves routing to the route.</param>
/// <param name="ScrapeInterval">Engine metrics scrape interval.</param>
/// <param name="ScrapeTimeout">Timeout of one scrape.</param>
/// <param name="Redis">Where Redis is, for shared limits, in <see cref="RedisAddress"/>'s one-line form (<c>host:port[,host:port...][,serviceName=NAME]</c>), or null for in-memory.</param>
public sealed record GatewayConfig(
    IReadOnlyList<EndpointSpec> Endpoints,
    string? DefaultStrategy,
    TimeSpan ScrapeInterval,
    TimeSpan ScrapeTimeout,
    string? Redis)
{
    /// <summary>Settings of the routing policies (prefix index, load guards, metric staleness); read at start.</summary>
    public RoutingOptions Routing { get; init; } = RoutingOptions.Default;

    /// <summary>Retries and ejection of endpoints that fail before answering (standalone mode).</summary>
    public PassiveHealthOptions PassiveHealth { get; init; } = new();
    /// <summary>The <c>auth:</c> section.</summary>
    public global::AIBrix.Gateway.Core.Limits.AuthSettings Auth { get; init; } = global::AIBrix.Gateway.Core.Limits.AuthSettings.Default;

    /// <summary>The <c>limits:</c> section.</summary>
    public global::AIBrix.Gateway.Core.Limits.LimitSettings Limits { get; init; } = global::AIBrix.Gateway.Core.Limits.LimitSettings.Default;
}
