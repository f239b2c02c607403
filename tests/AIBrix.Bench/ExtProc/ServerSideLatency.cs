using System.Globalization;
using AIBrix.EngineMetrics;

namespace AIBrix.Bench.ExtProc;

/// <summary>
/// The gateway's own view of its latency: per-phase histograms of the time from receiving an
/// ext_proc message to having written its answer, diffed between two scrapes of its /metrics,
/// read with the gateway's own Prometheus parser. This is what Envoy's message_timeout bounds,
/// free of the load client's share of the two cores.
/// </summary>
internal static class ServerSideLatency
{
    private const string Family = "aibrix_gateway_extproc_message_seconds";

    public static async Task<Dictionary<string, SortedDictionary<double, double>>> ScrapeAsync(HttpClient http, string url)
    {
        var set = PrometheusTextParser.ParseText(await http.GetStringAsync(url));
        var byPhase = new Dictionary<string, SortedDictionary<double, double>>();
        if (!set.TryGetFamily(Family, out var family))
        {
            return byPhase;
        }

        foreach (var sample in family.Samples)
        {
            if (!sample.Name.EndsWith("_bucket", StringComparison.Ordinal))
            {
                continue;
            }

            string phase = family.LabelValue(sample, "phase") ?? "";
            string le = family.LabelValue(sample, "le") ?? "+Inf";
            double bound = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
            if (!byPhase.TryGetValue(phase, out var buckets))
            {
                byPhase[phase] = buckets = [];
            }

            buckets[bound] = sample.Value;
        }

        return byPhase;
    }

    /// <summary>p50 and p99 in milliseconds per phase, over the observations between two scrapes.</summary>
    public static string Describe(
        Dictionary<string, SortedDictionary<double, double>> before,
        Dictionary<string, SortedDictionary<double, double>> after)
    {
        var parts = new List<string>();
        foreach (var (phase, buckets) in after.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            before.TryGetValue(phase, out var earlier);
            var diff = buckets.Select(b => new HistogramBucket(b.Key, b.Value - (earlier?.GetValueOrDefault(b.Key) ?? 0))).ToArray();
            double count = diff.Length == 0 ? 0 : diff[^1].CumulativeCount;
            if (count <= 0)
            {
                continue;
            }

            var snapshot = new HistogramSnapshot(diff, 0, count);
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"\"{phase}\":{{\"p50_ms\":{snapshot.Quantile(0.5) * 1000:F3},\"p99_ms\":{snapshot.Quantile(0.99) * 1000:F3}}}"));
        }

        return "{" + string.Join(",", parts) + "}";
    }
}
