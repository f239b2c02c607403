using AIBrix.Gateway.Core.Endpoints;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// A policy that can also grade every candidate, so several combine by weight
/// (<c>routing-strategy: prefix-cache:2,least-request:1</c>). Scores are in [0,1], higher is better;
/// a scorer whose signal is missing writes 0 everywhere (no preference) and sets
/// <see cref="RoutingRequest.Fallback"/>.
/// </summary>
public interface IRoutingScorer
{
    /// <summary>The wire name, the same as the policy's.</summary>
    string Name { get; }

    /// <summary>Writes one score per candidate into <paramref name="scores"/> (same length as <paramref name="candidates"/>).</summary>
    void Score(RoutingRequest request, ReadOnlySpan<Endpoint> candidates, Span<double> scores);
}

/// <summary>A policy that learns from its decisions (prefix blocks now cached on the target, a user's tokens).</summary>
public interface IRoutingFeedback
{
    /// <summary>Called once after the pick, with the endpoint the request goes to.</summary>
    void OnRouted(RoutingRequest request, Endpoint target);
}
