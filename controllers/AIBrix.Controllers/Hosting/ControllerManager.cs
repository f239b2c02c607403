using System.Globalization;
using System.Net;
using System.Text;
using AIBrix.Controllers.ColdStart;
using AIBrix.Controllers.Fleets;
using AIBrix.Controllers.GpuOptimizer;
using AIBrix.Controllers.ModelAdapters;
using AIBrix.Controllers.PodAutoscalers;
using AIBrix.Controllers.ModelRouter;
using AIBrix.Kubernetes.Runtime;
using k8s;

namespace AIBrix.Controllers.Hosting;

/// <summary>
/// Builds the controller manager: the controllers named by <c>--controllers</c> (each registered by its own
/// <c>Add…Controller</c>), run together behind one leader election when asked, and a small HTTP port for health and
/// metrics.
/// </summary>
internal static class ControllerManager
{
    /// <summary>
    /// The manager's app. <paramref name="gpuOptimizerRedis"/> is the GPU optimizer's connection when the caller made
    /// it (the program does, to exit 2 on a Redis setting that cannot work); else the optimizer connects itself.
    /// </summary>
    public static WebApplication Build(ControllerCommandLine cli, IKubernetes client, StackExchange.Redis.IConnectionMultiplexer? gpuOptimizerRedis = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Any, cli.MetricsPort));
        builder.Services.AddSingleton(client);
        // Each Add… registers its controller only when --controllers names it.
        builder.Services.AddModelAdapterController(cli);
        builder.Services.AddModelRouterController(cli);
        builder.Services.AddPodAutoscalerController(cli);
        builder.Services.AddFleetControllers(cli);
        builder.Services.AddGpuOptimizerController(cli, gpuOptimizerRedis);
        builder.Services.AddColdStartController(cli);

        builder.Services.AddHostedService(sp => new ManagerService(
            [.. sp.GetServices<IManagedController>()],
            cli.LeaderElect ? new LeaderElector(client, new LeaderElectionOptions { Namespace = cli.LeaseNamespace }, sp.GetRequiredService<ILogger<LeaderElector>>()) : null));

        var app = builder.Build();
        app.MapGet("/healthz", () => "ok");
        app.MapGet("/readyz", () => "ok");
        app.MapGet("/metrics", (IEnumerable<IManagedController> controllers) => Results.Text(RenderMetrics(controllers), "text/plain; version=0.0.4"));
        if (app.Services.GetService<GpuOptimizerController>() is { } optimizer)
        {
            app.MapGpuOptimizer(optimizer);
        }

        return app;
    }

    private static string RenderMetrics(IEnumerable<IManagedController> controllers)
    {
        var list = controllers.ToList();
        var text = new StringBuilder();
        Family(text, "aibrix_controller_reconciles_total", "counter", "reconciles run", list, c => c.Reconciles);
        Family(text, "aibrix_controller_reconcile_errors_total", "counter", "reconciles that threw", list, c => c.Errors);
        Family(text, "aibrix_controller_queue_depth", "gauge", "keys waiting in the work queue", list, c => c.QueueDepth);
        return text.ToString();
    }

    private static void Family(StringBuilder text, string name, string type, string help, List<IManagedController> controllers, Func<IManagedController, long> value)
    {
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");
        foreach (var c in controllers)
        {
            text.Append(CultureInfo.InvariantCulture, $"{name}{{controller=\"{c.Name}\"}} {value(c)}\n");
        }
    }

    private sealed class ManagerService(IReadOnlyList<IManagedController> controllers, LeaderElector? elector) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            // Read-only controllers run on every replica, leader or not.
            var always = Task.WhenAll(controllers.Where(c => !c.RequiresLeadership).Select(c => c.RunAsync(stoppingToken)));
            if (elector is null)
            {
                await Task.WhenAll(RunAllAsync(stoppingToken), always);
                return;
            }

            // Leadership lost: stop every controller, and try to lead again (each run starts from a fresh list).
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await elector.RunAsync(RunAllAsync, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
            }

            await always;
        }

        private Task RunAllAsync(CancellationToken cancellationToken) =>
            Task.WhenAll(controllers.Where(c => c.RequiresLeadership).Select(c => c.RunAsync(cancellationToken)));
    }
}
