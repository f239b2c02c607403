using System.Collections.Concurrent;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing.KvEvents;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// <c>kv-cost</c>: the candidate with the least predicted time to first token for this request,
/// <c>backlog + uncached / R + D × in-flight</c>, where <c>uncached</c> is the prompt's tokens the pod has not
/// cached (<see cref="CacheOverlap"/>: KV-cache events, else the estimate), <c>R</c> the prefill rate, <c>D</c>
/// the delay one decoding request adds, and <c>backlog</c> the prefill this gateway already queued there: every
/// decision pushes the pod's prefill clock forward by its uncached tokens / R, and the clock drains in real time.
/// Cache overlap and load are weighed in one unit (seconds), with no thresholds. Ties at random.
/// </summary>
internal sealed class KvCostPolicy(CacheOverlap overlap, RoutingOptions options, IRandomSource random, TimeProvider time)
    : IRoutingPolicy, IRoutingFeedback
{
    private readonly ConcurrentDictionary<string, Backlog> _backlogs = new(StringComparer.Ordinal);

    public string Name => RoutingPolicies.KvCost;

    public Endpoint Pick(RoutingRequest request, ReadOnlySpan<Endpoint> candidates)
    {
        if (candidates.Length == 1)
        {
            return candidates[0];
        }

        Span<double> fractions = candidates.Length <= 256 ? stackalloc double[candidates.Length] : new double[candidates.Length];
        int tokens = overlap.Fill(request, candidates, fractions, out _);
        double now = Seconds();
        int start = random.Next(candidates.Length), best = start;
        double bestCost = double.PositiveInfinity;
        for (int k = 0; k < candidates.Length; k++)
        {
            int i = (start + k) % candidates.Length;
            double cost = Cost(candidates[i], tokens, fractions[i], now);
            if (cost < bestCost)
            {
                (best, bestCost) = (i, cost);
            }
        }

        request.PredictedCost = bestCost;
        request.Reason = $"predicted ttft {bestCost * 1000:F0} ms, cached {fractions[best]:P0}";
        return candidates[best];
    }

    /// <summary>Predicted seconds to the first token of a <paramref name="tokens"/>-token prompt with <paramref name="cached"/> of it cached.</summary>
    internal double Cost(Endpoint endpoint, int tokens, double cached, double now)
    {
        var model = options.KvCost;
        double backlog = _backlogs.TryGetValue(endpoint.Name, out var b) ? b.Remaining(now) : 0;
        return backlog + (tokens * (1 - cached) / model.PrefillTokensPerSecond) + (model.DecodeSecondsPerRequest * endpoint.InFlight);
    }

    public void OnRouted(RoutingRequest request, Endpoint target)
    {
        Span<double> fraction = stackalloc double[1];
        int tokens = overlap.Fill(request, new ReadOnlySpan<Endpoint>(in target), fraction, out _);
        double seconds = tokens * (1 - fraction[0]) / options.KvCost.PrefillTokensPerSecond;
        _backlogs.GetOrAdd(target.Name, static _ => new Backlog()).Add(Seconds(), seconds);
        overlap.Record(request, target);
    }

    private double Seconds() => time.GetUtcNow().UtcTicks / (double)TimeSpan.TicksPerSecond;

    /// <summary>A pod's prefill clock: the instant its queued prefill (as this gateway sent it) is done.</summary>
    private sealed class Backlog
    {
        private readonly Lock _lock = new();
        private double _busyUntil;

        public double Remaining(double now)
        {
            lock (_lock)
            {
                return Math.Max(0, _busyUntil - now);
            }
        }

        public void Add(double now, double seconds)
        {
            lock (_lock)
            {
                _busyUntil = Math.Max(_busyUntil, now) + seconds;
            }
        }
    }
}
