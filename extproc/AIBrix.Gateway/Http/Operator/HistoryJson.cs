using System.Text.Json;
using AIBrix.Gateway.Observability.History;

namespace AIBrix.Gateway.Http.Operator;

/// <summary>
/// <c>/debug/history</c> and <c>/debug/history/endpoints</c>: the last minutes as parallel arrays, one value per bucket,
/// oldest first (<c>times</c> holds each bucket's start, Unix milliseconds); null where there is no data.
/// </summary>
internal static class HistoryJson
{
    /// <summary>Requests, errors, latencies and tokens per bucket, with window totals, refusals and fallbacks.</summary>
    public static void WriteRequests(Utf8JsonWriter w, RequestHistory history, int buckets)
    {
        int seconds = history.Options.BucketSeconds;
        var times = new List<long>(buckets);
        var requests = new List<double>(buckets);
        var errors = new List<double>(buckets);
        var ttft50 = new List<double?>(buckets);
        var ttft99 = new List<double?>(buckets);
        var itl50 = new List<double?>(buckets);
        var itl99 = new List<double?>(buckets);
        var tokensIn = new List<double>(buckets);
        var tokensOut = new List<double>(buckets);
        var statuses = new SortedDictionary<int, long[]>();
        var refusals = new Dictionary<(string User, string Kind), long>();
        var fallbacks = new Dictionary<(string Strategy, string Reason), long>();
        var ttftAll = new LatencyBins();
        var itlAll = new LatencyBins();
        long totalRequests = 0, totalErrors = 0, totalIn = 0, totalOut = 0;
        int k = 0;
        history.Read(buckets, (at, b) =>
        {
            times.Add(at.ToUnixTimeMilliseconds());
            requests.Add(b.Requests / (double)seconds);
            errors.Add(b.Errors / (double)seconds);
            ttft50.Add(Ms(b.Ttft.Quantile(0.5)));
            ttft99.Add(Ms(b.Ttft.Quantile(0.99)));
            itl50.Add(Ms(b.Itl.Quantile(0.5)));
            itl99.Add(Ms(b.Itl.Quantile(0.99)));
            tokensIn.Add(b.TokensIn / (double)seconds);
            tokensOut.Add(b.TokensOut / (double)seconds);
            ttftAll.AddFrom(b.Ttft);
            itlAll.AddFrom(b.Itl);
            (totalRequests, totalErrors, totalIn, totalOut) = (totalRequests + b.Requests, totalErrors + b.Errors, totalIn + b.TokensIn, totalOut + b.TokensOut);
            foreach (var (code, count) in b.Statuses)
            {
                if (!statuses.TryGetValue(code, out var row))
                {
                    statuses[code] = row = new long[buckets];
                }

                row[k] += count;
            }

            foreach (var (key, count) in b.Refusals)
            {
                refusals[key] = refusals.GetValueOrDefault(key) + count;
            }

            foreach (var (key, count) in b.Fallbacks)
            {
                fallbacks[key] = fallbacks.GetValueOrDefault(key) + count;
            }

            k++;
        });

        w.WriteStartObject();
        w.WriteNumber("bucketSeconds", seconds);
        Array(w, "times", times.Select(t => (double?)t));
        Array(w, "requestsPerSecond", requests.Select(v => (double?)v));
        Array(w, "errorsPerSecond", errors.Select(v => (double?)v));
        Array(w, "ttftP50Ms", ttft50);
        Array(w, "ttftP99Ms", ttft99);
        Array(w, "itlP50Ms", itl50);
        Array(w, "itlP99Ms", itl99);
        Array(w, "tokensInPerSecond", tokensIn.Select(v => (double?)v));
        Array(w, "tokensOutPerSecond", tokensOut.Select(v => (double?)v));
        w.WriteStartObject("statuses");
        foreach (var (code, row) in statuses)
        {
            Array(w, code == 0 ? "none" : code.ToString(System.Globalization.CultureInfo.InvariantCulture), row.Select(v => (double?)v));
        }

        w.WriteEndObject();
        w.WriteStartObject("window");
        w.WriteNumber("seconds", seconds * times.Count);
        w.WriteNumber("requests", totalRequests);
        w.WriteNumber("errors", totalErrors);
        w.WriteNumber("tokensIn", totalIn);
        w.WriteNumber("tokensOut", totalOut);
        Number(w, "ttftP50Ms", Ms(ttftAll.Quantile(0.5)));
        Number(w, "ttftP99Ms", Ms(ttftAll.Quantile(0.99)));
        Number(w, "itlP50Ms", Ms(itlAll.Quantile(0.5)));
        Number(w, "itlP99Ms", Ms(itlAll.Quantile(0.99)));
        w.WriteEndObject();
        w.WriteStartArray("limitRefusals");
        foreach (var ((user, kind), count) in refusals.OrderByDescending(r => r.Value).ThenBy(r => r.Key.User, StringComparer.Ordinal))
        {
            w.WriteStartObject();
            w.WriteString("user", user);
            w.WriteString("kind", kind);
            w.WriteNumber("count", count);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("fallbacks");
        foreach (var ((strategy, reason), count) in fallbacks.OrderByDescending(r => r.Value).ThenBy(r => r.Key.Reason, StringComparer.Ordinal))
        {
            w.WriteStartObject();
            w.WriteString("strategy", strategy);
            w.WriteString("reason", reason);
            w.WriteNumber("count", count);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Per-endpoint series: the <paramref name="limit"/> busiest, or the ones <paramref name="names"/> lists.</summary>
    public static void WriteEndpoints(Utf8JsonWriter w, EndpointHistory history, int buckets, int limit, IReadOnlyCollection<string> names)
    {
        var views = history.Read(buckets, all => names.Count > 0
            ? names
            : all.OrderByDescending(e => e.Load).ThenBy(e => e.Name, StringComparer.Ordinal).Take(limit).Select(e => e.Name));
        int seconds = history.Options.BucketSeconds;
        long now = history.CurrentBucket;
        w.WriteStartObject();
        w.WriteNumber("bucketSeconds", seconds);
        w.WriteNumber("tracked", history.Count);
        Array(w, "times", Enumerable.Range(0, buckets).Select(i => (double?)((now - buckets + 1 + i) * seconds * 1000)));
        w.WriteStartArray("endpoints");
        foreach (var view in views)
        {
            WriteSeries(w, view);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    internal static void WriteSeries(Utf8JsonWriter w, EndpointSeriesView view)
    {
        w.WriteStartObject();
        w.WriteString("name", view.Name);
        Array(w, "running", view.Running.Select(F));
        Array(w, "waiting", view.Waiting.Select(F));
        Array(w, "kvCache", view.KvCache.Select(F));
        Array(w, "prefixHitRate", view.PrefixHitRate.Select(F));
        Array(w, "inFlight", view.InFlight.Select(F));
        w.WriteEndObject();
    }

    private static double? F(float v) => float.IsFinite(v) ? Math.Round(v, 4) : null;

    private static double? Ms(double? seconds) => seconds is { } s ? Math.Round(s * 1000, 2) : null;

    private static void Array(Utf8JsonWriter w, string name, IEnumerable<double?> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            if (v is { } x && double.IsFinite(x))
            {
                w.WriteNumberValue(Math.Round(x, 3));
            }
            else
            {
                w.WriteNullValue();
            }
        }

        w.WriteEndArray();
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
