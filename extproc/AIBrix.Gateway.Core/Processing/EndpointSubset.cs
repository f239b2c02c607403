using System.Buffers;
using AIBrix.Gateway.Core.Endpoints;

namespace AIBrix.Gateway.Core.Processing;

/// <summary>
/// The endpoint-picker protocol's two lists, pure: the proxy's subset hint (only endpoints whose <c>ip:port</c> is in
/// it may be picked) and the fallback endpoints offered after the pick, which the proxy tries in order on retries.
/// </summary>
public static class EndpointSubset
{
    /// <summary>
    /// The subset from the hint's values: each <c>ip:port</c> trimmed, blanks dropped. An empty result is still a hint
    /// (the proxy allowed nothing: the request gets a 503), so only a missing hint is null.
    /// </summary>
    public static IReadOnlySet<string> Parse(IEnumerable<string> values) =>
        values.Select(v => v.Trim()).Where(v => v.Length > 0).ToHashSet(StringComparer.Ordinal);

    /// <summary>The candidates whose address is in <paramref name="subset"/>, in a pooled array (null when none).</summary>
    public static Endpoint[]? Filter(ReadOnlySpan<Endpoint> candidates, IReadOnlySet<string> subset, out int count)
    {
        count = 0;
        Endpoint[]? kept = null;
        foreach (var endpoint in candidates)
        {
            if (subset.Contains(endpoint.Address))
            {
                kept ??= ArrayPool<Endpoint>.Shared.Rent(candidates.Length);
                kept[count++] = endpoint;
            }
        }

        return kept;
    }

    /// <summary>
    /// Up to <paramref name="max"/> other ready endpoints of <paramref name="model"/> (the request's model or adapter)
    /// for the proxy to retry on, least loaded first (fewest in-flight requests, then name), all inside
    /// <paramref name="subset"/> when there is one.
    /// </summary>
    public static IReadOnlyList<Endpoint> Fallbacks(EndpointSnapshot snapshot, string model, Endpoint target, IReadOnlySet<string>? subset, int max)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(target);
        if (max <= 0)
        {
            return [];
        }

        var others = new List<Endpoint>();
        foreach (var endpoint in snapshot.ReadyFor(model))
        {
            if (!ReferenceEquals(endpoint, target) && endpoint.Address != target.Address && (subset is null || subset.Contains(endpoint.Address)))
            {
                others.Add(endpoint);
            }
        }

        return [.. others.OrderBy(e => e.InFlight).ThenBy(e => e.Name, StringComparer.Ordinal).Take(max)];
    }

    /// <summary>The header and metadata value: the target first, then the fallbacks, comma separated.</summary>
    public static string Destination(Endpoint target, IReadOnlyList<Endpoint> fallbacks)
    {
        ArgumentNullException.ThrowIfNull(target);
        return fallbacks.Count == 0 ? target.Address : string.Join(',', fallbacks.Select(f => f.Address).Prepend(target.Address));
    }
}
