using System.Globalization;
using System.Net;
using AIBrix.Controllers.ModelAdapters;
using AIBrix.Kubernetes.Runtime;
using k8s;

namespace AIBrix.Controllers.Hosting;

/// <summary>Builds the controller manager: the ModelAdapter controller (behind leader election when asked) and a small HTTP port.</summary>
internal static class ControllerManager
{
    public static WebApplication Build(ControllerCommandLine cli, IKubernetes client)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Any, cli.MetricsPort));
        builder.Services.AddSingleton(client);
        builder.Services.AddSingleton(sp => new ModelAdapterController(
            client,
            new EngineAdapterClient(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }),
            new ModelAdapterOptions { Namespaces = cli.Namespaces, Workers = cli.Workers },
            sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddHostedService(sp => new ManagerService(
            sp.GetRequiredService<ModelAdapterController>(),
            cli.LeaderElect ? new LeaderElector(client, new LeaderElectionOptions { Namespace = cli.LeaseNamespace }, sp.GetRequiredService<ILogger<LeaderElector>>()) : null));

        var app = builder.Build();
        app.MapGet("/healthz", () => "ok");
        app.MapGet("/readyz", () => "ok");
        app.MapGet("/metrics", (ModelAdapterController c) => Results.Text(string.Create(CultureInfo.InvariantCulture,
            $"# TYPE aibrix_controller_reconciles_total counter\naibrix_controller_reconciles_total{{controller=\"modeladapter\"}} {c.Reconciles}\n" +
            $"# TYPE aibrix_controller_reconcile_errors_total counter\naibrix_controller_reconcile_errors_total{{controller=\"modeladapter\"}} {c.Errors}\n" +
            $"# TYPE aibrix_controller_queue_depth gauge\naibrix_controller_queue_depth{{controller=\"modeladapter\"}} {c.Queue.Count}\n"),
            "text/plain; version=0.0.4"));
        return app;
    }

    private sealed class ManagerService(ModelAdapterController controller, LeaderElector? elector) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            if (elector is null)
            {
                await controller.RunAsync(stoppingToken);
                return;
            }

            // Leadership lost: stop, and try to lead again (the caches are rebuilt by a fresh list).
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await elector.RunAsync(controller.RunAsync, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }
}
