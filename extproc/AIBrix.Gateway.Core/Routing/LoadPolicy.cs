using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Metrics;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// Shared shape of the "least X" policies: read one load number per candidate, take the smallest.
/// The scan starts at a random candidate and keeps the first minimum, so ties spread with one random
/// draw per decision instead of one per tie. A policy that reads engine metrics falls back to
/// least-request, and says so in <see cref="RoutingRequest.Fallback"/>, as soon as one candidate's
/// metrics are missing or stale: comparing a known load with an unknown one is a guess, not a rule.
/// As a scorer, loads are min-max normalised: the least loaded scores 1, the most loaded 0.
/// </summary>
internal abstract class LoadPolicy(IRandomSource random, RoutingOptions options, TimeProvider time) : IRoutingPolicy, IRoutingScorer
{
    /// <summary>Fallback reason: a candidate has never reported the metric.</summary>
    public const string MetricsMissing = "metrics-missing";

    /// <summary>Fallback reason: a candidate's latest metrics are older than the staleness limit.</summary>
    public const string MetricsStale = "metrics-stale";

    public abstract string Name { get; }

    protected RoutingOptions Options => options;

    /// <summary>True when the load comes from engine metrics (and so can be missing or stale).</summary>
    protected virtual bool ReadsEngineMetrics => true;

    /// <summary>Reads the load; false when the signal is absent. <paramref name="metrics"/> is null for gateway-only policies.</summary>
    protected abstract bool TryReadLoad(Endpoint endpoint, EngineMetrics? metrics, RoutingRequest request, out double load);

    public Endpoint Pick(RoutingRequest request, ReadOnlySpan<Endpoint> candidates)
    {
        if (candidates.Length == 1)
        {
            return candidates[0];
        }

        int n = candidates.Length;
        int start = random.Next(n);
        long freshSince = FreshSinceTicks();
        int best = -1;
        double bestLoad = double.PositiveInfinity;
        for (int k = 0; k < n; k++)
        {
            int i = start + k < n ? start + k : start + k - n;
            if (!TryRead(candidates[i], request, freshSince, out double load, out string? missing))
            {
                request.Fallback = missing;
                return LeastRequestPolicy.PickLeast(candidates, start);
            }

            if (load < bestLoad)
            {
                bestLoad = load;
                best = i;
            }
        }

        return candidates[best < 0 ? start : best];
    }

    public void Score(RoutingRequest request, ReadOnlySpan<Endpoint> candidates, Span<double> scores)
    {
        long freshSince = FreshSinceTicks();
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int i = 0; i < candidates.Length; i++)
        {
            if (!TryRead(candidates[i], request, freshSince, out double load, out string? missing))
            {
                request.Fallback ??= missing;
                scores.Clear();
                return;
            }

            scores[i] = load;
            min = Math.Min(min, load);
            max = Math.Max(max, load);
        }

        ScoreMath.InvertNormalise(scores, min, max);
    }

    private long FreshSinceTicks() =>
        ReadsEngineMetrics ? (time.GetUtcNow() - options.MetricsStaleAfter).UtcTicks : long.MinValue;

    private bool TryRead(Endpoint endpoint, RoutingRequest request, long freshSince, out double load, out string? missing)
    {
        missing = null;
        EngineMetrics? metrics = null;
        if (ReadsEngineMetrics)
        {
            var health = endpoint.Health;
            metrics = health.Metrics;
            if (metrics is null)
            {
                missing = MetricsMissing;
                load = 0;
                return false;
            }

            if (health.LastSuccess is not { } at || at.UtcTicks < freshSince)
            {
                missing = MetricsStale;
                load = 0;
                return false;
            }
        }

        if (!TryReadLoad(endpoint, metrics, request, out load) || double.IsNaN(load))
        {
            missing = MetricsMissing;
            return false;
        }

        return true;
    }
}
