using System.Collections.Concurrent;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Routing.KvEvents;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// <c>kv-cost</c>: the candidate with the least predicted time to first token for this request,
/// <c>W × uncached / R + queue + D × requests + K × kvUsage</c>, in seconds, with no thresholds:
/// <list type="bullet">
/// <item><c>uncached</c>: the prompt's tokens the pod has not cached (<see cref="CacheOverlap"/>: KV-cache events,
/// else the estimate); <c>R</c> the prefill rate; <c>W</c> the overlap weight (Dynamo's
/// <c>overlap_score_weight</c>): above 1 a cache miss costs more than its own prefill, for the cache it evicts and
/// the group it splits.</item>
/// <item><c>queue</c>: prefill already queued there by this gateway: every decision pushes the pod's prefill
/// clock forward by its uncached tokens / R, and the clock drains in real time. (The scraped waiting count times
/// a mean prefill was tried as a cross-replica estimate and made shared-prefix loads worse: docs/routing.md.)</item>
/// <item><c>requests</c>: the larger of this gateway's in-flight count and the engine's scraped running +
/// waiting plus this gateway's requests since the scrape (Dynamo's decode blocks, llm-d's queue scorer): the
/// scrape counts every gateway replica's traffic, so replicas agree on load. <c>D</c> the delay one adds.</item>
/// <item><c>kvUsage</c>: the engine's scraped KV-cache usage (llm-d's kv-cache-utilization scorer): a full cache
/// makes new requests wait for blocks. Metrics older than <see cref="RoutingOptions.MetricsStaleAfter"/> are
/// ignored (own counts only).</item>
/// </list>
/// Ties at random.
/// </summary>
internal sealed class KvCostPolicy(CacheOverlap overlap, RoutingOptions options, IRandomSource random, TimeProvider time)
    : IRoutingPolicy, IRoutingFeedback
{
    private readonly ConcurrentDictionary<string, PodLoad> _pods = new(StringComparer.Ordinal);
    private readonly long _staleTicks = options.MetricsStaleAfter.Ticks;

    public string Name => RoutingPolicies.KvCost;

    public Endpoint Pick(RoutingRequest request, ReadOnlySpan<Endpoint> candidates)
    {
        if (candidates.Length == 1)
        {
            return candidates[0];
        }

        Span<double> fractions = candidates.Length <= 256 ? stackalloc double[candidates.Length] : new double[candidates.Length];
        int tokens = overlap.Fill(request, candidates, fractions, out _);
        var at = time.GetUtcNow();
        double now = Seconds(at);
        long nowTicks = at.UtcTicks;
        int start = random.Next(candidates.Length), best = start;
        double bestCost = double.PositiveInfinity;
        for (int k = 0; k < candidates.Length; k++)
        {
            int i = (start + k) % candidates.Length;
            double cost = Cost(candidates[i], tokens, fractions[i], now, nowTicks);
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
    internal double Cost(Endpoint endpoint, int tokens, double cached, double now) =>
        Cost(endpoint, tokens, cached, now, (long)(now * TimeSpan.TicksPerSecond));

    private double Cost(Endpoint endpoint, int tokens, double cached, double now, long nowTicks)
    {
        var model = options.KvCost;
        double prefill = tokens * (1 - cached) / model.PrefillTokensPerSecond;
        _pods.TryGetValue(endpoint.Name, out var pod);
        double queue = pod?.Remaining(now) ?? 0;
        double requests = endpoint.InFlight;
        double kv = 0;
        long scrapedAt = endpoint.MetricsAtTicks;
        if (model.UseEngineLoad && scrapedAt != long.MinValue && nowTicks - scrapedAt <= _staleTicks && endpoint.Metrics is { } metrics)
        {
            int since = pod?.SentSince(scrapedAt) ?? 0;
            requests = Math.Max(requests, (metrics.Running ?? 0) + (metrics.Waiting ?? 0) + since);
            kv = metrics.KvCacheUsage ?? 0;
        }

        return (model.OverlapWeight * prefill) + queue + (model.DecodeSecondsPerRequest * requests) + (model.KvUsageSeconds * kv);
    }

    public void OnRouted(RoutingRequest request, Endpoint target)
    {
        Span<double> fraction = stackalloc double[1];
        int tokens = overlap.Fill(request, new ReadOnlySpan<Endpoint>(in target), fraction, out _);
        double seconds = tokens * (1 - fraction[0]) / options.KvCost.PrefillTokensPerSecond;
        _pods.GetOrAdd(target.Name, static _ => new PodLoad()).Add(Seconds(time.GetUtcNow()), seconds, target.MetricsAtTicks);
        overlap.Record(request, target);
    }

    private static double Seconds(DateTimeOffset at) => at.UtcTicks / (double)TimeSpan.TicksPerSecond;

    /// <summary>
    /// What this gateway sent one pod: its prefill clock (the instant its queued prefill, as this gateway sent it,
    /// is done) and the requests sent since the pod's latest scrape (which that scrape cannot count yet).
    /// </summary>
    private sealed class PodLoad
    {
        private readonly Lock _lock = new();
        private double _busyUntil;
        private long _scrapedAt = long.MinValue;
        private int _sinceScrape;

        public double Remaining(double now)
        {
            lock (_lock)
            {
                return Math.Max(0, _busyUntil - now);
            }
        }

        /// <summary>Requests sent since the scrape at <paramref name="scrapedAt"/> (none when a newer scrape already counts them).</summary>
        public int SentSince(long scrapedAt)
        {
            lock (_lock)
            {
                return _scrapedAt == scrapedAt ? _sinceScrape : 0;
            }
        }

        public void Add(double now, double seconds, long scrapedAt)
        {
            lock (_lock)
            {
                _busyUntil = Math.Max(_busyUntil, now) + seconds;
                if (_scrapedAt != scrapedAt)
                {
                    (_scrapedAt, _sinceScrape) = (scrapedAt, 0);
                }

                _sinceScrape++;
            }
        }
    }
}
