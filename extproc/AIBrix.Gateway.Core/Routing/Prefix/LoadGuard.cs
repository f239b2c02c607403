using AIBrix.Gateway.Core.Endpoints;

namespace AIBrix.Gateway.Core.Routing.Prefix;

/// <summary>
/// The hot-spot guard of the cache-affinity policies, judged per candidate: a pod may win by its
/// cache only while its in-flight count is at most min + <see cref="LoadGuardOptions.AbsoluteImbalance"/>
/// and at most mean + <see cref="LoadGuardOptions.StddevFactor"/>·σ over the candidates. One hot pod
/// loses its cache advantage; the others keep theirs (AIBrix instead turns prefix matching off for
/// everyone once any two pods differ by the imbalance count). The load is the gateway's own in-flight
/// count, which exists for every pod, so the guard never runs blind.
/// </summary>
internal readonly struct LoadGuard
{
    private readonly double _ceiling;

    private LoadGuard(double ceiling) => _ceiling = ceiling;

    public static LoadGuard For(ReadOnlySpan<Endpoint> candidates, LoadGuardOptions options)
    {
        int min = int.MaxValue;
        double sum = 0, sumSquares = 0;
        foreach (var endpoint in candidates)
        {
            int load = endpoint.InFlight;
            min = Math.Min(min, load);
            sum += load;
            sumSquares += (double)load * load;
        }

        double mean = sum / candidates.Length;
        double stddev = Math.Sqrt(Math.Max(0, (sumSquares / candidates.Length) - (mean * mean)));
        return new LoadGuard(Math.Min(min + (double)options.AbsoluteImbalance, mean + (options.StddevFactor * stddev) + 1e-9));
    }

    /// <summary>True when <paramref name="endpoint"/> may take the request for its cache.</summary>
    public bool Allows(Endpoint endpoint) => endpoint.InFlight <= _ceiling;
}
