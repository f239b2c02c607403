using AIBrix.Gateway.Core.Endpoints;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>The fallback reasons every "least X" policy reports.</summary>
internal static class LoadPolicy
{
    /// <summary>Fallback reason: a candidate has never reported the metric.</summary>
    public const string MetricsMissing = "metrics-missing";

    /// <summary>Fallback reason: a candidate's latest metrics are older than the staleness limit.</summary>
    public const string MetricsStale = "metrics-stale";
}

/// <summary>
/// The one number a "least X" policy compares. Static, so the scan in <see cref="LoadPolicy{TSignal}"/>
/// is compiled once per policy with the read inlined: no virtual call per candidate.
/// </summary>
internal interface ILoadSignal
{
    /// <summary>True when the load comes from engine metrics (and so can be missing or stale).</summary>
    static abstract bool FromEngine { get; }

    /// <summary>The candidate's load; NaN when the signal is absent.</summary>
    static abstract double Read(Endpoint endpoint, int outputTokens);
}

/// <summary>
/// Shared shape of the "least X" policies: read one load number per candidate, take the smallest.
/// The scan starts at a random candidate and keeps the first minimum, so ties spread with one random
/// draw per decision instead of one per tie. A policy that reads engine metrics falls back to
/// least-request, and says so in <see cref="RoutingRequest.Fallback"/>, as soon as one candidate's
/// metrics are missing or stale: comparing a known load with an unknown one is a guess, not a rule.
/// As a scorer, loads are min-max normalised: the least loaded scores 1, the most loaded 0.
/// The loads are fields of <see cref="Endpoint"/> (engine ones flattened once per scrape), so a scan
/// touches one object per candidate.
/// </summary>
internal abstract class LoadPolicy<TSignal>(IRandomSource random, RoutingOptions options, TimeProvider time) : IRoutingPolicy, IRoutingScorer
    where TSignal : struct, ILoadSignal
{
    public abstract string Name { get; }

    protected RoutingOptions Options => options;

    public Endpoint Pick(RoutingRequest request, ReadOnlySpan<Endpoint> candidates)
    {
        if (candidates.Length == 1)
        {
            return candidates[0];
        }

        int start = random.Next(candidates.Length);
        long freshSince = FreshSinceTicks();
        int outputTokens = request.MaxTokens ?? options.DefaultOutputTokens;

        // Two straight runs, [start, n) then [0, start): the first minimum from start wins ties.
        int best = start;
        double bestLoad = double.PositiveInfinity;
        if (!Scan(candidates, start, candidates.Length, freshSince, outputTokens, ref best, ref bestLoad, out string? missing)
            || !Scan(candidates, 0, start, freshSince, outputTokens, ref best, ref bestLoad, out missing))
        {
            request.Fallback = missing;
            return LeastRequestPolicy.PickLeast(candidates, start);
        }

        return candidates[best];
    }

    public void Score(RoutingRequest request, ReadOnlySpan<Endpoint> candidates, Span<double> scores)
    {
        long freshSince = FreshSinceTicks();
        int outputTokens = request.MaxTokens ?? options.DefaultOutputTokens;
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int i = 0; i < candidates.Length; i++)
        {
            double load = Read(candidates[i], freshSince, outputTokens, out string? missing);
            if (missing is not null)
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

    private static bool Scan(ReadOnlySpan<Endpoint> candidates, int from, int to, long freshSince, int outputTokens, ref int best, ref double bestLoad, out string? missing)
    {
        // A slice indexed from 0 to its length lets the JIT drop the bounds checks.
        var run = candidates[from..to];
        for (int i = 0; i < run.Length; i++)
        {
            var endpoint = run[i];
            if (TSignal.FromEngine && endpoint.MetricsAtTicks < freshSince)
            {
                missing = endpoint.MetricsAtTicks == long.MinValue ? LoadPolicy.MetricsMissing : LoadPolicy.MetricsStale;
                return false;
            }

            double load = TSignal.Read(endpoint, outputTokens);
            if (load < bestLoad)
            {
                bestLoad = load;
                best = from + i;
            }
            else if (double.IsNaN(load))
            {
                missing = LoadPolicy.MetricsMissing;
                return false;
            }
        }

        missing = null;
        return true;
    }

    private static double Read(Endpoint endpoint, long freshSince, int outputTokens, out string? missing)
    {
        missing = null;
        if (TSignal.FromEngine)
        {
            long at = endpoint.MetricsAtTicks;
            if (at < freshSince)
            {
                missing = at == long.MinValue ? LoadPolicy.MetricsMissing : LoadPolicy.MetricsStale;
                return 0;
            }
        }

        double load = TSignal.Read(endpoint, outputTokens);
        if (double.IsNaN(load))
        {
            missing = LoadPolicy.MetricsMissing;
        }

        return load;
    }

    private long FreshSinceTicks() =>
        TSignal.FromEngine ? (time.GetUtcNow() - options.MetricsStaleAfter).UtcTicks : long.MinValue;
}
