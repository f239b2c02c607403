using AIBrix.Gateway.Core.Endpoints;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// <c>throughput</c>: the candidate with the least token load. Formula: argmin InFlightTokens, where each
/// request in flight from this gateway counts its estimated prompt tokens (UTF-8 bytes / 4) plus its
/// <c>max_tokens</c> (or <see cref="RoutingOptions.DefaultOutputTokens"/>). AIBrix reads the engines'
/// token-throughput gauges instead; the gateway's own count needs no scrape, so it is never missing or stale.
/// </summary>
internal sealed class ThroughputPolicy(IRandomSource random, RoutingOptions options, TimeProvider time)
    : LoadPolicy<ThroughputPolicy.Signal>(random, options, time)
{
    public override string Name => RoutingPolicies.Throughput;

    /// <summary>The load this policy compares.</summary>
    internal readonly struct Signal : ILoadSignal
    {
        public static bool FromEngine => false;

        public static double Read(Endpoint endpoint, int outputTokens) => endpoint.InFlightTokens;
    }
}
