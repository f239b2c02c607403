using System.Globalization;
using AIBrix.GpuOptimizer;

namespace AIBrix.Controllers.GpuOptimizer;

/// <summary>
/// AIBrix's GPU optimizer routes on the manager's HTTP port, with AIBrix's paths and answers, so a PodAutoscaler
/// written for AIBrix works unchanged: <c>GET /metrics/{namespace}/{deployment}</c>, <c>POST|DELETE /monitor/{namespace}/{deployment}</c>,
/// <c>GET|POST /update_profile/{model}</c>, <c>POST /scale/{namespace}/{deployment}/{replicas}</c> (and <c>DELETE /scale/{namespace}/{deployment}</c>
/// to unpin), plus <c>GET /gpu-optimizer/status</c>. Errors are JSON <c>{"error": "..."}</c>: 404 for an unknown
/// deployment or model, 400 for a bad count, 503 when Redis cannot be read.
/// </summary>
internal static class GpuOptimizerEndpoints
{
    public static void MapGpuOptimizer(this IEndpointRouteBuilder app, GpuOptimizerController optimizer)
    {
        app.MapGet("/metrics/{namespace}/{deployment}", (string @namespace, string deployment) =>
            optimizer.Suggested(@namespace, deployment) is var (model, replicas)
                ? Results.Text(ModelOptimizer.PrometheusText(model, replicas), "text/plain; version=0.0.4")
                : NotWatched(@namespace, deployment));

        app.MapPost("/monitor/{namespace}/{deployment}", (string @namespace, string deployment) => Monitor(optimizer, @namespace, deployment, on: true));
        app.MapDelete("/monitor/{namespace}/{deployment}", (string @namespace, string deployment) => Monitor(optimizer, @namespace, deployment, on: false));

        app.MapMethods("/update_profile/{model}", ["GET", "POST"], async (string model, CancellationToken cancellationToken) =>
        {
            ProfileReadResult? read;
            try
            {
                read = await optimizer.ReloadProfilesAsync(model, cancellationToken);
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
            {
                return Error($"failed to read the profiles of {model} from Redis: {e.Message}", StatusCodes.Status503ServiceUnavailable);
            }

            if (read is null)
            {
                return Error($"{model} not monitored: no Deployment labelled model.aibrix.ai/name={model}", StatusCodes.Status404NotFound);
            }

            var body = new Dictionary<string, object>
            {
                ["message"] = string.Create(CultureInfo.InvariantCulture, $"workload profile of {model} updated: {read.Profiles.Count} profile(s)"),
                ["profiles"] = read.Profiles.Select(p => p.Gpu).ToList(),
            };
            if (read.Errors.Count > 0)
            {
                body["errors"] = read.Errors;
            }

            // Invalid profiles are skipped and named; the valid ones apply.
            return Results.Json(body, statusCode: read.Errors.Count > 0 ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status200OK);
        });

        app.MapPost("/scale/{namespace}/{deployment}/{replicas}", (string @namespace, string deployment, string replicas) =>
        {
            if (!int.TryParse(replicas, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n > 100_000)
            {
                return Error($"replicas '{replicas}' is not a whole number from 0 to 100000", StatusCodes.Status400BadRequest);
            }

            return optimizer.Override(@namespace, deployment, n) is null
                ? NotWatched(@namespace, deployment)
                : Results.Json(new { message = string.Create(CultureInfo.InvariantCulture, $"Scaled to {n}") });
        });

        app.MapDelete("/scale/{namespace}/{deployment}", (string @namespace, string deployment) =>
            optimizer.Override(@namespace, deployment, null) is null
                ? NotWatched(@namespace, deployment)
                : Results.Json(new { message = "override removed" }));

        app.MapGet("/gpu-optimizer/status", () => Results.Json(new { models = optimizer.Status() }));
    }

    private static IResult Monitor(GpuOptimizerController optimizer, string @namespace, string deployment, bool on) =>
        optimizer.SetMonitoring(@namespace, deployment, on) is { } model
            ? Results.Json(new { message = on ? $"Deployment optimization started for {model}" : $"Deployment optimization stopped for {model}: serving the deployments' own counts" })
            : NotWatched(@namespace, deployment);

    private static IResult NotWatched(string @namespace, string deployment) =>
        Error($"deployment {@namespace}/{deployment} is not watched: no Deployment of that name labelled model.aibrix.ai/name (or not seen yet)", StatusCodes.Status404NotFound);

    private static IResult Error(string message, int status) => Results.Json(new { error = message }, statusCode: status);
}
