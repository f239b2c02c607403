using System.Diagnostics;
using System.Net;
using System.Text;
using AIBrix.Runtime.Artifacts;
using AIBrix.Runtime.ColdStart;
using AIBrix.Runtime.Engine;
using AIBrix.Runtime.Http;
using AIBrix.Runtime.Lora;
using AIBrix.Runtime.Metrics;
using AIBrix.Runtime.Models;

namespace AIBrix.Runtime;

/// <summary>
/// Builds the runtime's web app: Kestrel on the configured port, AIBrix's routes, the engine client, metrics.
/// <paramref name="configureServices"/> adds or replaces services (the artifact downloader, route groups of other
/// features) before the app is built; <paramref name="mapRoutes"/> maps more routes.
/// </summary>
public static class RuntimeApp
{
    public static WebApplication Build(
        RuntimeOptions options,
        Action<IServiceCollection>? configureServices = null,
        Action<WebApplication>? mapRoutes = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (options.Host == "localhost")
            {
                kestrel.ListenLocalhost(options.Port);
            }
            else
            {
                kestrel.Listen(IPAddress.Parse(options.Host), options.Port);
            }
        });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            AutomaticDecompression = DecompressionMethods.All,
        })
        { Timeout = Timeout.InfiniteTimeSpan });
        services.AddSingleton<EngineClient>();
        services.AddSingleton<EngineLoraApi>();
        services.AddSingleton<RuntimeMetrics>();
        services.AddSingleton<EngineMetricsPage>();
        services.AddSingleton<LoraEndpoints>();
        services.AddSingleton<ModelStore>();
        services.AddSingleton<ModelEndpoints>();
        // Hugging Face, S3-compatible stores and local paths (docs/runtime-downloads.md); a host may replace or
        // remove it, and without one the delegated routes answer 501.
        services.AddSingleton<IArtifactDownloader>(sp => new ArtifactDownloader(options.Downloads, sp.GetService<ILoggerFactory>()));
        configureServices?.Invoke(services);

        var app = builder.Build();
        app.Use(CountRequestsAsync);
        app.Use(ErrorsAsOpenAiAsync);

        var lora = app.Services.GetRequiredService<LoraEndpoints>();
        var models = app.Services.GetRequiredService<ModelEndpoints>();
        app.MapPost("/v1/lora_adapter/load", lora.LoadAsync);
        app.MapPost("/v1/lora_adapter/unload", lora.UnloadAsync);
        app.MapGet("/v1/models", models.EngineModelsAsync);
        app.MapPost("/v1/model/download", models.DownloadAsync);
        app.MapGet("/v1/model/list", models.ListAsync);
        app.MapGet("/healthz", () => Results.Json(new { status = "ok" }));
        app.MapGet("/ready", ReadyAsync);
        app.MapGet("/metrics", MetricsAsync);
        app.MapArtifactInventory(options.ModelsDir);
        mapRoutes?.Invoke(app);
        app.MapFallback((HttpContext context) =>
            new ApiError(404, $"No route {context.Request.Method} {context.Request.Path}: see docs/runtime.md for the runtime's routes.", "unknown_route").WriteAsync(context));
        return app;
    }

    /// <summary>Readiness: the engine's <c>/health</c> answers 200 within the scrape timeout.</summary>
    private static async Task ReadyAsync(HttpContext context, EngineClient engine, RuntimeOptions options)
    {
        string reason;
        try
        {
            var reply = await engine.SendAsync(HttpMethod.Get, "health", null, null, options.ScrapeTimeout, context.RequestAborted).ConfigureAwait(false);
            if (reply.IsSuccess)
            {
                await Results.Json(new { status = "ready" }).ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            reason = $"the engine's /health answered {reply.Status}";
        }
        catch (EngineUnavailableException e)
        {
            reason = e.Message;
        }

        await Results.Json(new { status = "not ready", reason }, statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context).ConfigureAwait(false);
    }

    /// <summary>The runtime's own series, the engine's as <c>aibrix:*</c>, then (unless turned off) the engine's as they were.</summary>
    private static async Task MetricsAsync(HttpContext context, EngineMetricsPage page, RuntimeMetrics metrics)
    {
        var engine = await page.GetAsync(context.RequestAborted).ConfigureAwait(false);
        var sb = new StringBuilder(engine.Standard.Length + engine.Original.Length + 4096);
        metrics.Write(sb, engine.Error is null);
        sb.Append(engine.Standard).Append(engine.Original);
        context.Response.ContentType = Exposition.ContentType;
        await context.Response.WriteAsync(sb.ToString(), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task CountRequestsAsync(HttpContext context, RequestDelegate next)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            string endpoint = context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } pattern } && !pattern.Contains('{')
                ? pattern
                : "other";
            context.RequestServices.GetRequiredService<RuntimeMetrics>()
                .Request(context.Request.Method, endpoint, context.Response.StatusCode, Stopwatch.GetElapsedTime(started));
        }
    }

    // A bug must not reach the caller as an empty 500 or a stack trace: log it, answer in the one error shape.
    private static async Task ErrorsAsOpenAiAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("AIBrix.Runtime").LogError(e, "Unhandled error on {Path}", context.Request.Path);
            await new ApiError(500, "The runtime failed on this request: " + e.Message, "internal_error").WriteAsync(context).ConfigureAwait(false);
        }
    }
}
