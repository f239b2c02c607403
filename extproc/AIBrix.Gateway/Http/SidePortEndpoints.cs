using System.Text.Json;
using AIBrix.EngineMetrics;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Metrics;
using AIBrix.Gateway.Core.Processing;
using AIBrix.Gateway.Core.Routing.KvEvents;
using AIBrix.Gateway.KvEvents;
using AIBrix.Gateway.Http.Operator;
using AIBrix.Gateway.Observability;
using AIBrix.Gateway.Redis;
using Prometheus;

namespace AIBrix.Gateway.Http;

/// <summary>The HTTP side port: liveness, readiness, Prometheus metrics, the operator page and the JSON it reads under <c>/debug</c>.</summary>
internal static class SidePortEndpoints
{
    public static void MapSidePort(this WebApplication app)
    {
        app.MapOperatorPage();
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", async (EndpointRegistry registry, IServiceProvider services) =>
        {
            var snapshot = registry.Current;
            int pending = GatewayReadiness.NotScrapedYet(snapshot);
            int ready = snapshot.All.Count(e => e.IsReady);
            var redis = services.GetService<RedisReadiness>();
            if (redis is not null)
            {
                await redis.CheckAsync(); // the primary's state now, even while endpoints keep readiness false
            }

            bool isReady = await GatewayReadiness.IsReadyAsync(registry, services);
            string redisState = redis is null ? "" : $",\"redis\":\"{(redis.Connected ? "connected" : redis.Reached ? "lost" : "not-reached-yet")}\"";
            var body = $"{{\"ready\":{(isReady ? "true" : "false")},\"endpoints\":{snapshot.All.Length},\"readyEndpoints\":{ready},\"notScrapedYet\":{pending}{redisState}}}\n";
            return Results.Text(body, "application/json", statusCode: isReady ? 200 : 503);
        });
        var metrics = app.Services.GetRequiredService<GatewayMetrics>();
        app.MapMetrics("/metrics", metrics.Registry);
        app.MapGet("/debug/endpoints", async (HttpContext http, EndpointRegistry registry, TimeProvider time, EngineMetricsScraper scraper) =>
        {
            http.Response.ContentType = "application/json";
            await using var writer = new Utf8JsonWriter(http.Response.BodyWriter, new JsonWriterOptions { Indented = true });
            var kvEvents = http.RequestServices.GetService<KvEventSubscriptions>();
            var kvBlocks = http.RequestServices.GetRequiredService<KvBlockIndex>();
            WriteEndpoints(writer, registry.Current, time.GetUtcNow(), scraper.Options.EffectiveStaleAfter,
                kvEvents is null ? null : (w, name) => WriteKvEvents(w, kvEvents.For(name), kvBlocks, name));
            await writer.FlushAsync(http.RequestAborted);
        });
        app.MapOperatorApi();
    }

    internal static void WriteEndpoints(Utf8JsonWriter writer, EndpointSnapshot snapshot, DateTimeOffset now, TimeSpan staleAfter,
        Action<Utf8JsonWriter, string>? writeKvEvents = null)
    {
        writer.WriteStartObject();
        writer.WriteNumber("version", snapshot.Version);
        writer.WriteStartArray("endpoints");
        foreach (var endpoint in snapshot.All)
        {
            var health = endpoint.Health;
            writer.WriteStartObject();
            writer.WriteString("name", endpoint.Name);
            writer.WriteString("address", endpoint.Address);
            writer.WriteString("model", endpoint.Model);
            writer.WriteString("engine", endpoint.Engine.ToString().ToLowerInvariant());
            writer.WriteStartArray("adapters");
            foreach (var adapter in endpoint.Spec.Adapters)
            {
                writer.WriteStringValue(adapter);
            }

            writer.WriteEndArray();
            writer.WriteStartObject("labels");
            foreach (var (key, value) in endpoint.Labels)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
            writer.WriteBoolean("ready", endpoint.IsReady);
            writer.WriteNumber("inFlight", endpoint.InFlight);
            writer.WriteNumber("served", endpoint.Served);
            writer.WriteNumber("errors", endpoint.Errors);
            if (health.LastSuccess is { } last)
            {
                // A scrape may land between taking "now" and reading this endpoint: its age is 0, not negative.
                writer.WriteNumber("metricsAgeMs", Math.Round(Math.Max(0, (now - last).TotalMilliseconds), 1));
            }
            else
            {
                writer.WriteNull("metricsAgeMs");
            }

            // Stale: no successful scrape within the stale window; the last metrics are shown but not trusted.
            writer.WriteBoolean("stale", health.IsStale(now, staleAfter));
            writer.WriteNumber("consecutiveScrapeFailures", health.ConsecutiveFailures);
            if (health.LastError is { } error)
            {
                writer.WriteString("lastError", error);
            }
            else
            {
                writer.WriteNull("lastError");
            }

            writer.WritePropertyName("metrics");
            WriteMetrics(writer, health.Metrics);
            writeKvEvents?.Invoke(writer, endpoint.Name);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The endpoint's KV event subscription: where, how fresh, what it counted; null when not subscribed.</summary>
    private static void WriteKvEvents(Utf8JsonWriter writer, KvEventSubscriptions.Subscription? subscription, KvBlockIndex index, string pod)
    {
        writer.WritePropertyName("kvEvents");
        if (subscription is null)
        {
            writer.WriteNullValue();
            return;
        }

        var stats = subscription.Subscriber.Stats;
        writer.WriteStartObject();
        writer.WriteString("endpoint", subscription.Source.Endpoint);
        writer.WriteString("replayEndpoint", subscription.Source.ReplayEndpoint);
        // Fresh: the events are trusted for routing now (it published, no resync under way); else the estimate is used.
        writer.WriteBoolean("fresh", index.TryMatch(pod, [], out _));
        writer.WriteNumber("blocks", subscription.Feed.BlockCount);
        writer.WriteNumber("batches", stats.Batches);
        writer.WriteNumber("blockEvents", subscription.Feed.BlockEvents);
        writer.WriteNumber("lastSequence", stats.LastSequence);
        writer.WriteNumber("replayed", stats.Replayed);
        writer.WriteNumber("gapsRecovered", stats.GapsRecovered);
        writer.WriteNumber("gapsLost", stats.GapsLost);
        writer.WriteNumber("restarts", stats.Restarts);
        writer.WriteNumber("decodeErrors", stats.Malformed);
        writer.WriteNumber("disconnects", stats.Disconnects);
        writer.WriteEndObject();
    }

    private static void WriteMetrics(Utf8JsonWriter writer, EngineMetricsSnapshot? metrics)
    {
        if (metrics is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        Number("running", metrics.Running);
        Number("waiting", metrics.Waiting);
        Number("kvCacheUsage", metrics.KvCacheUsage);
        Number("prefixCacheHitRate", metrics.PrefixCacheHitRate);
        Number("cpuKvCacheUsage", metrics.CpuKvCacheUsage);
        Number("prefixCacheQueries", metrics.PrefixCacheQueries);
        Number("prefixCacheHits", metrics.PrefixCacheHits);
        Number("promptTokens", metrics.PromptTokens);
        Number("generationTokens", metrics.GenerationTokens);
        Number("preemptions", metrics.Preemptions);
        Number("ttftMeanSeconds", metrics.TimeToFirstToken?.Mean);
        Number("tpotMeanSeconds", metrics.TimePerOutputToken?.Mean);
        writer.WriteStartArray("runningAdapters");
        foreach (var a in metrics.RunningAdapters)
        {
            writer.WriteStringValue(a);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("waitingAdapters");
        foreach (var a in metrics.WaitingAdapters)
        {
            writer.WriteStringValue(a);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();

        void Number(string name, double? value)
        {
            // JSON has no NaN or Infinity: an engine reporting one is written as null.
            if (value is { } v && double.IsFinite(v))
            {
                writer.WriteNumber(name, v);
            }
            else
            {
                writer.WriteNull(name);
            }
        }
    }
}
