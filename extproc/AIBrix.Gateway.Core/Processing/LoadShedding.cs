using AIBrix.Gateway.Core.Endpoints;

namespace AIBrix.Gateway.Core.Processing;

/// <summary>
/// When to shed, after GIE's saturation detector: an endpoint is saturated when its waiting queue reaches
/// <see cref="QueueDepthThreshold"/> or its KV cache <see cref="KvCacheThreshold"/> (or its load is unknown); the model
/// is saturated when every ready endpoint is; then sheddable requests (GIE: objectives of negative priority; here the
/// objectives named in <see cref="SheddableObjectives"/>, read from <c>x-gateway-inference-objective</c>) are refused
/// with 429 and the others still routed. Defaults are GIE's (5 waiting, 0.8 KV cache).
/// </summary>
public sealed record LoadShedding
{
    /// <summary>Waiting requests at which an endpoint counts as saturated.</summary>
    public int QueueDepthThreshold { get; init; } = 5;

    /// <summary>KV-cache usage (0-1) at which an endpoint counts as saturated.</summary>
    public double KvCacheThreshold { get; init; } = 0.8;

    /// <summary>Objectives whose requests may be shed; empty = shedding off.</summary>
    public IReadOnlySet<string> SheddableObjectives { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The sheddable objective a request names, or null when it is not sheddable.</summary>
    public string? SheddableObjective(IReadOnlyDictionary<string, string> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return SheddableObjectives.Count > 0 && headers.TryGetValue(GatewayHeaders.InferenceObjective, out var objective)
            && SheddableObjectives.Contains(objective.Trim()) ? objective.Trim() : null;
    }

    /// <summary>True when the endpoint has no room: queue or KV cache at the threshold, or no load reported.</summary>
    public bool IsSaturated(Endpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var m = endpoint.Metrics;
        if (m is null || (m.Waiting is null && m.KvCacheUsage is null))
        {
            return true; // a load nobody reported is not known to have room
        }

        return m.Waiting >= QueueDepthThreshold || m.KvCacheUsage >= KvCacheThreshold;
    }

    /// <summary>True when there are endpoints and every one is saturated.</summary>
    public bool AllSaturated(ReadOnlySpan<Endpoint> endpoints)
    {
        foreach (var endpoint in endpoints)
        {
            if (!IsSaturated(endpoint))
            {
                return false;
            }
        }

        return !endpoints.IsEmpty;
    }
}
