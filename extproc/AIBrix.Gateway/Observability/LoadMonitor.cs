using AIBrix.Gateway.Core.OpenAI;
using AIBrix.Gateway.Core.Processing;
using AIBrix.Gateway.Hosting;
using AIBrix.RequestTraces;
using StackExchange.Redis;

namespace AIBrix.Gateway.Observability;

/// <summary>
/// The load monitor's hook on the request path: each completed request with a usage report adds its (prompt,
/// completion) tokens to the <see cref="RequestTraceRecorder"/>, one interlocked increment. Rejected and aborted
/// requests are not load the GPUs served.
/// </summary>
internal sealed class LoadMonitorObserver(RequestTraceRecorder recorder) : IGatewayObserver
{
    public void OnRouted(RequestContext context, double decisionSeconds)
    {
    }

    public void OnFinished(RequestContext context, RequestOutcome outcome, Usage? usage)
    {
        if (outcome == RequestOutcome.Completed && usage is { } u && context.Model.Length > 0 && context.Error is null)
        {
            recorder.Record(context.Model, (int)Math.Min(u.PromptTokens, int.MaxValue), (int)Math.Min(u.CompletionTokens, int.MaxValue));
        }
    }
}

/// <summary>Publishes the recorded traces to Redis at every interval boundary (<see cref="RequestTracePublisher"/>).</summary>
internal sealed partial class LoadMonitorService(RequestTracePublisher publisher, ILogger<LoadMonitorService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Log.Started(logger, (int)publisher.Interval.TotalSeconds);
        return publisher.RunAsync(e => Log.WriteFailed(logger, e.Message), stoppingToken);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "load monitor: writing request traces to Redis every {Seconds} s (aibrix:<model>_request_trace_<ts>)")]
        public static partial void Started(ILogger logger, int seconds);

        [LoggerMessage(2, LogLevel.Warning, "load monitor: could not write the request traces of an interval: {Message}")]
        public static partial void WriteFailed(ILogger logger, string message);
    }
}

/// <summary>Registers the load monitor when <c>--load-monitor</c> is given; it needs the config's Redis.</summary>
internal static class LoadMonitorSetup
{
    public static IServiceCollection AddLoadMonitor(this IServiceCollection services, Core.Config.GatewayConfig config, GatewayCommandLine cli)
    {
        if (!cli.LoadMonitor)
        {
            return services;
        }

        if (config.Redis is null)
        {
            throw new InvalidConfigException(["--load-monitor writes request traces to Redis: set redis: HOST:PORT in the config"]);
        }

        services.AddSingleton(new RequestTraceRecorder());
        services.AddSingleton<IGatewayObserver>(sp => new LoadMonitorObserver(sp.GetRequiredService<RequestTraceRecorder>()));
        services.AddSingleton(sp => new RequestTracePublisher(
            sp.GetRequiredService<RequestTraceRecorder>(),
            new RedisRequestTraceStore(sp.GetRequiredService<IConnectionMultiplexer>()),
            sp.GetRequiredService<TimeProvider>(),
            TimeSpan.FromSeconds(cli.LoadMonitorIntervalSeconds)));
        services.AddHostedService<LoadMonitorService>();
        return services;
    }
}
