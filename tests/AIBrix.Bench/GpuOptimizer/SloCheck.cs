using AIBrix.Bench.Replay;
using AIBrix.GpuOptimizer;

namespace AIBrix.Bench.GpuOptimizer;

/// <summary>
/// Whether a set of finished requests met a profile's SLOs: each latency target (TTFT, TPOT, E2E, TPAT) at the
/// SLOs' percentile (0 = the mean). Throughput floors (<c>tput</c>, <c>tt</c>) are not latency targets and are not
/// checked here.
/// </summary>
internal static class SloCheck
{
    /// <summary>The statistic the SLOs name over <paramref name="values"/> (ms); NaN when empty.</summary>
    public static double Statistic(IEnumerable<double> values, int percentile)
    {
        double[] sorted = [.. values.Where(double.IsFinite).Order()];
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        return percentile == 0 ? sorted.Average() : Stats.Percentile(sorted, percentile / 100.0);
    }

    /// <summary>
    /// True when the requests (all of one bucket, <paramref name="tokens"/> prompt + output tokens each) meet every
    /// latency target of <paramref name="slos"/>.
    /// </summary>
    public static bool Meets(ProfileSlos slos, IReadOnlyList<RequestLatency> latencies, int tokens)
    {
        if (latencies.Count == 0)
        {
            return false;
        }

        return Within(slos.Ttft, latencies.Select(l => l.TtftMs), slos.Percentile)
            && Within(slos.Tpot, latencies.Select(l => l.TpotMs), slos.Percentile)
            && Within(slos.E2e, latencies.Select(l => l.E2eMs), slos.Percentile)
            && Within(slos.Tpat, latencies.Select(l => l.E2eMs / tokens), slos.Percentile);
    }

    /// <summary>Whether one request meets every latency target on its own (for SLO attainment over a replay).</summary>
    public static bool Meets(ProfileSlos slos, RequestLatency latency) =>
        (slos.Ttft is not { } ttft || latency.TtftMs <= ttft * 1000)
        && (slos.Tpot is not { } tpot || double.IsNaN(latency.TpotMs) || latency.TpotMs <= tpot * 1000)
        && (slos.E2e is not { } e2e || latency.E2eMs <= e2e * 1000);

    private static bool Within(double? targetSeconds, IEnumerable<double> valuesMs, int percentile)
    {
        if (targetSeconds is not { } target)
        {
            return true;
        }

        double value = Statistic(valuesMs, percentile);
        return double.IsNaN(value) || value <= target * 1000;
    }
}
