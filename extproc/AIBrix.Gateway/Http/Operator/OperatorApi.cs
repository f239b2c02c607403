using System.Globalization;
using System.Text.Json;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Core.Limits;
using AIBrix.Gateway.Core.Metrics;
using AIBrix.Gateway.Core.Processing;
using AIBrix.Gateway.Observability.History;

namespace AIBrix.Gateway.Http.Operator;

/// <summary>
/// The JSON behind the operator page, on the side port under <c>/debug</c> (documented in docs/operator-guide.md):
/// <c>info</c>, <c>decisions</c> (filtered), <c>history</c>, <c>history/endpoints</c>, <c>endpoints/{name}</c>, and
/// <c>users</c> behind the admin token.
/// </summary>
internal static class OperatorApi
{
    public static void MapOperatorApi(this WebApplication app)
    {
        app.MapGet("/debug/info", (OperatorInfo info, RequestHistory history, RoutingDecisionLog log, AdminOptions admin, IServiceProvider services) => Results.Json(new
        {
            mode = info.Mode,
            bucketSeconds = history.Options.BucketSeconds,
            windowSeconds = (int)history.Options.Window.TotalSeconds,
            decisionsKept = log.Capacity,
            adminToken = admin.Token is { Length: > 0 },
            // Endpoints labelled to publish KV events that are not read because no block hasher is configured.
            kvEventsUnhashedEndpoints = services.GetService<KvEvents.UnhashedKvEventEndpoints>()?.Count ?? 0,
        }));
        app.MapGet("/debug/decisions", (HttpContext http, RoutingDecisionLog log) =>
        {
            var (query, error) = DecisionQuery.Parse(http.Request.Query, log.Capacity);
            if (query is null)
            {
                return Task.FromResult(AdminJson.Error(400, error!, "invalid_query"));
            }

            var decisions = log.Recent(query.Filter(), query.Limit, out int matched);
            return Task.FromResult(Write(w => DecisionJson.Write(w, decisions, matched, log.Capacity)));
        });
        app.MapGet("/debug/history", (HttpContext http, RequestHistory history) =>
            Minutes(http, history.Options, out int buckets) is { } bad ? bad : Write(w => HistoryJson.WriteRequests(w, history, buckets)));
        app.MapGet("/debug/history/endpoints", (HttpContext http, EndpointHistory history, EndpointRegistry registry) =>
        {
            if (Minutes(http, history.Options, out int buckets) is { } bad)
            {
                return bad;
            }

            int limit = 16;
            if (http.Request.Query.TryGetValue("limit", out var l) && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
            {
                return AdminJson.Error(400, $"'limit' must be a positive integer, not '{l}'", "invalid_query");
            }

            history.Sample(registry.Current);
            string[] names = [.. http.Request.Query["name"].Where(n => !string.IsNullOrEmpty(n)).Select(n => n!)];
            return Write(w => HistoryJson.WriteEndpoints(w, history, buckets, Math.Min(limit, history.Options.MaxEndpoints), names));
        });
        app.MapGet("/debug/endpoints/{name}", (string name, EndpointRegistry registry, EndpointHistory history, TimeProvider time, EngineMetricsScraper scraper) =>
        {
            if (!registry.Current.ByName.TryGetValue(name, out var endpoint))
            {
                return AdminJson.Error(404, $"no endpoint '{name}'", "endpoint_not_found");
            }

            history.Sample(registry.Current);
            return Write(w => EndpointDetailJson.Write(w, endpoint, history, time.GetUtcNow(), scraper.Options.EffectiveStaleAfter));
        });
        app.MapGet("/debug/users", (IServiceProvider services, RequestHistory history, CancellationToken cancellationToken) =>
            UsersView.WriteAsync(services.GetService<RequestLimiter>(), history, cancellationToken))
            .AddEndpointFilter(new AdminAccessFilter(app.Services.GetRequiredService<AdminOptions>()));
    }

    /// <summary>Reads <c>minutes</c> (the whole window by default) as a bucket count; an error result when it is bad.</summary>
    private static IResult? Minutes(HttpContext http, HistoryOptions options, out int buckets)
    {
        buckets = options.Buckets;
        if (!http.Request.Query.TryGetValue("minutes", out var m))
        {
            return null;
        }

        if (!double.TryParse(m, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double minutes) || minutes <= 0)
        {
            return AdminJson.Error(400, $"'minutes' must be a positive number, not '{m}'", "invalid_query");
        }

        buckets = (int)Math.Clamp(Math.Ceiling(minutes * 60 / options.BucketSeconds), 1, options.Buckets);
        return null;
    }

    internal static IResult Write(Action<Utf8JsonWriter> write) => Results.Stream(async stream =>
    {
        await using var writer = new Utf8JsonWriter(stream);
        write(writer);
        await writer.FlushAsync();
    }, "application/json");
}
