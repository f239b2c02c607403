using System.Text.Json;
using AIBrix.EngineMetrics;
using AIBrix.Gateway.Core.Endpoints;
using Endpoint = AIBrix.Gateway.Core.Endpoints.Endpoint;
using AIBrix.Gateway.Observability.History;

namespace AIBrix.Gateway.Http.Operator;

/// <summary>
/// <c>/debug/endpoints/{name}</c>: one endpoint in full: scrape age, staleness and errors, every engine metric as the
/// gateway parsed it (histograms with count, sum, mean, p50 and p99), the LoRA adapters configured and loaded, and its series.
/// </summary>
internal static class EndpointDetailJson
{
    public static void Write(Utf8JsonWriter w, Endpoint endpoint, EndpointHistory history, DateTimeOffset now, TimeSpan staleAfter)
    {
        var health = endpoint.Health;
        var m = health.Metrics;
        w.WriteStartObject();
        w.WriteString("name", endpoint.Name);
        w.WriteString("address", endpoint.Address);
        w.WriteString("model", endpoint.Model);
        w.WriteString("engine", endpoint.Engine.ToString().ToLowerInvariant());
        w.WriteBoolean("ready", endpoint.IsReady);
        w.WriteNumber("inFlight", endpoint.InFlight);
        w.WriteNumber("served", endpoint.Served);
        w.WriteNumber("errors", endpoint.Errors);
        w.WriteStartObject("scrape");
        Number(w, "ageMs", health.LastSuccess is { } last ? Math.Max(0, (now - last).TotalMilliseconds) : null);
        if (health.LastSuccess is { } success)
        {
            w.WriteString("lastSuccess", success);
        }
        else
        {
            w.WriteNull("lastSuccess");
        }

        w.WriteBoolean("stale", health.IsStale(now, staleAfter));
        w.WriteNumber("staleAfterMs", staleAfter.TotalMilliseconds);
        w.WriteNumber("consecutiveFailures", health.ConsecutiveFailures);
        w.WriteNumber("failuresSeen", history.ScrapeFailures(endpoint.Name));
        w.WriteString("lastError", health.LastError);
        w.WriteEndObject();
        w.WriteStartObject("adapters");
        Strings(w, "configured", endpoint.Spec.Adapters);
        Strings(w, "running", m?.RunningAdapters ?? []);
        Strings(w, "waiting", m?.WaitingAdapters ?? []);
        Number(w, "maxLoras", m?.MaxLoras);
        w.WriteEndObject();
        if (m is null)
        {
            w.WriteNull("engineMetrics");
        }
        else
        {
            w.WriteStartObject("engineMetrics");
            Number(w, "running", m.Running);
            Number(w, "waiting", m.Waiting);
            Number(w, "kvCacheUsage", m.KvCacheUsage);
            Number(w, "cpuKvCacheUsage", m.CpuKvCacheUsage);
            Number(w, "prefixCacheQueries", m.PrefixCacheQueries);
            Number(w, "prefixCacheHits", m.PrefixCacheHits);
            Number(w, "prefixCacheHitRate", m.PrefixCacheHitRate);
            Number(w, "promptTokens", m.PromptTokens);
            Number(w, "generationTokens", m.GenerationTokens);
            Number(w, "preemptions", m.Preemptions);
            Histogram(w, "timeToFirstTokenSeconds", m.TimeToFirstToken);
            Histogram(w, "timePerOutputTokenSeconds", m.TimePerOutputToken);
            Histogram(w, "endToEndLatencySeconds", m.EndToEndLatency);
            Histogram(w, "queueTimeSeconds", m.QueueTime);
            w.WriteEndObject();
        }

        w.WriteStartObject("labels");
        foreach (var (key, value) in endpoint.Labels)
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
        var series = history.Read(history.Options.Buckets, _ => [endpoint.Name]);
        w.WriteNumber("bucketSeconds", history.Options.BucketSeconds);
        if (series.Count == 1)
        {
            w.WritePropertyName("series");
            HistoryJson.WriteSeries(w, series[0]);
        }
        else
        {
            w.WriteNull("series");
        }

        w.WriteEndObject();
    }

    private static void Histogram(Utf8JsonWriter w, string name, HistogramSnapshot? h)
    {
        if (h is null)
        {
            w.WriteNull(name);
            return;
        }

        w.WriteStartObject(name);
        Number(w, "count", h.Count);
        Number(w, "sum", h.Sum);
        Number(w, "mean", h.Mean);
        Number(w, "p50", h.Quantile(0.5));
        Number(w, "p99", h.Quantile(0.99));
        w.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            w.WriteNumber(name, Math.Round(v, 6));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
