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
/// clock forward by its uncached tokens / R, and the clock drains in real time. Where the engine exports its
/// queued prefill tokens (<see cref="AIBrix.EngineMetrics.EngineMetricsSnapshot.PendingPrefillTokens"/>, an
/// extension the simulator has), the queue is the larger of that clock and the engine's count / R, drained since
/// the scrape, plus what this gateway sent after it: every replica's traffic, so replicas agree. (The scraped
/// waiting count times a mean prefill was tried as a cross-replica estimate and made shared-prefix loads worse:
/// docs/routing.md.)</item>
/// <item><c>requests</c>: the larger of this gateway's in-flight count and the engine's scraped running +
/// waiting plus this gateway's requests since the scrape (Dynamo's decode blocks, llm-d's queue scorer): the
/// scrape counts every gateway replica's traffic, so replicas agree on load. <c>D</c> the delay one adds.</item>
/// <item><c>kvUsage</c>: the engine's scraped KV-cache usage (llm-d's kv-cache-utilization scorer): a full cache
/// makes new requests wait for blocks. Metrics older than <see cref="RoutingOptions.MetricsStaleAfter"/> are
/// ignored (own counts only).</item>
/// </list>
/// Ties at random.
/// </summary>
internal sealed class KvCostPolicy(CacheOverlap overlap, RoutingOptions options, IRandomSource random, TimeProvider time, PrefillClocks? clocks = null)
    : IRoutingPolicy, IRoutingFeedback
{
    private readonly PrefillClocks _clocks = clocks ?? new PrefillClocks();
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
        double queue = _clocks.Remaining(endpoint.Name, now);
        double requests = endpoint.InFlight;
        double kv = 0;
        long scrapedAt = endpoint.MetricsAtTicks;
        if (model.UseEngineLoad && scrapedAt != long.MinValue && nowTicks - scrapedAt <= _staleTicks && endpoint.Metrics is { } metrics)
        {
            int since = 0;
            double sinceSeconds = 0;
            pod?.SentSince(scrapedAt, out since, out sinceSeconds);
            requests = Math.Max(requests, (metrics.Running ?? 0) + (metrics.Waiting ?? 0) + since);
            kv = metrics.KvCacheUsage ?? 0;
            if (model.UseEnginePrefillQueue && metrics.PendingPrefillTokens is { } pending)
            {
                // The engine's own queue (every replica's traffic) as of the scrape, drained since at the prefill
                // rate, plus what this gateway sent after it: never less than this gateway's own clock.
                double elapsed = Math.Max(0, (nowTicks - scrapedAt) / (double)TimeSpan.TicksPerSecond);
                double engineQueue = Math.Max(0, (pending / model.PrefillTokensPerSecond) - elapsed) + sinceSeconds;
                queue = Math.Max(queue, engineQueue);
            }
        }

        return (model.OverlapWeight * prefill) + queue + (model.DecodeSecondsPerRequest * requests) + (model.KvUsageSeconds * kv);
    }

    public void OnRouted(RoutingRequest request, Endpoint target)
    {
        Span<double> fraction = stackalloc double[1];
        int tokens = overlap.Fill(request, new ReadOnlySpan<Endpoint>(in target), fraction, out _);
        double seconds = tokens * (1 - fraction[0]) / options.KvCost.PrefillTokensPerSecond;
        double now = Seconds(time.GetUtcNow());
        _clocks.Add(target.Name, now, seconds);
        _pods.GetOrAdd(target.Name, static _ => new PodLoad()).Add(seconds, target.MetricsAtTicks);
        overlap.Record(request, target);
    }

    private static double Seconds(DateTimeOffset at) => at.UtcTicks / (double)TimeSpan.TicksPerSecond;

    /// <summary>What this gateway sent one pod since the pod's latest scrape (which that scrape cannot count yet).</summary>
    private sealed class PodLoad
    {
        private readonly Lock _lock = new();
        private long _scrapedAt = long.MinValue;
        private int _sinceScrape;
        private double _secondsSinceScrape;

        /// <summary>
        /// Requests and prefill seconds sent since the scrape at <paramref name="scrapedAt"/> (none when a newer
        /// scrape already counts them).
        /// </summary>
        public void SentSince(long scrapedAt, out int requests, out double seconds)
        {
            lock (_lock)
            {
                (requests, seconds) = _scrapedAt == scrapedAt ? (_sinceScrape, _secondsSinceScrape) : (0, 0);
            }
        }

        public void Add(double seconds, long scrapedAt)
        {
            lock (_lock)
            {
                if (_scrapedAt != scrapedAt)
                {
                    (_scrapedAt, _sinceScrape, _secondsSinceScrape) = (scrapedAt, 0, 0);
                }

                _sinceScrape++;
                _secondsSinceScrape += seconds;
            }
        }
    }
}
