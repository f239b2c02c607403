using AIBrix.Gateway.Core.Endpoints;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// A routing strategy: picks one endpoint from a non-empty list of ready candidates.
/// Implementations are stateless or thread-safe; <see cref="Pick"/> runs on the hot path
/// concurrently and must not block.
/// </summary>
public interface IRoutingPolicy
{
    /// <summary>The wire name, as clients send it in <c>routing-strategy</c> (AIBrix's names).</summary>
    string Name { get; }

    /// <summary>Picks one of <paramref name="candidates"/> (never empty) for the request.</summary>
    Endpoint Pick(RoutingRequest request, ReadOnlySpan<Endpoint> candidates);
}
