using System.Globalization;
using System.Text.Json.Nodes;
using AIBrix.Controllers.PodAutoscalers;
using AIBrix.Controllers.Tests.Runtime;
using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Runtime;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AIBrix.Controllers.Tests.Infrastructure;

/// <summary>
/// A fake API server, fake engines' metrics over real HTTP, and a PodAutoscaler controller on a virtual clock: each
/// <see cref="TickAsync"/> moves the clock one interval, which requeues every PodAutoscaler, and waits for the round.
/// </summary>
internal sealed class AutoscalerFixture : IAsyncDisposable
{
    public const string Apps = "apis/apps/v1";
    public const string PaPath = "apis/autoscaling.aibrix.ai/v1alpha1";
    public const string HpaPath = "apis/autoscaling/v2";
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;

    private AutoscalerFixture(FakeApiServer api, IKubernetes client, FakeTimeProvider time, PodAutoscalerController controller, HttpClient http)
    {
        Api = api;
        Client = client;
        Time = time;
        Controller = controller;
        Http = http;
    }

    public FakeApiServer Api { get; }

    public IKubernetes Client { get; }

    public FakeTimeProvider Time { get; }

    public PodAutoscalerController Controller { get; }

    private HttpClient Http { get; }

    /// <summary>Starts the API server with the PodAutoscaler resource registered; <paramref name="seed"/> runs before the controller starts.</summary>
    public static async Task<AutoscalerFixture> StartAsync(Action<FakeApiServer>? seed = null, bool run = true, int workers = 2)
    {
        var api = await FakeApiServer.StartAsync();
        Register(api);
        seed?.Invoke(api);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 6, 0, 0, TimeSpan.Zero));
        var client = api.CreateClient();
        var http = new HttpClient();
        var controller = NewController(client, http, time, workers);
        var fixture = new AutoscalerFixture(api, client, time, controller, http);
        if (run)
        {
            fixture._run = controller.RunAsync(fixture._stop.Token);
        }

        return fixture;
    }

    public static void Register(FakeApiServer api) =>
        api.Resources.Register(PaPath, PodAutoscaler.Plural, new ResourceKind(PodAutoscaler.KindName, HasStatus: true));

    public static PodAutoscalerController NewController(IKubernetes client, HttpClient http, TimeProvider time, int workers = 2) =>
        new(client, http, new PodAutoscalerOptions { Namespaces = ["default"], Interval = Interval, Workers = workers, Time = time, ScrapeTimeout = TimeSpan.FromSeconds(5) },
            NullLoggerFactory.Instance,
            new InformerOptions { RetryBackoff = new Backoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(50), 0.2) },
            new Backoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(100)));

    /// <summary>Waits until every PodAutoscaler in the cache is reconciled and waiting for its next interval.</summary>
    public Task SettledAsync(int autoscalers, int seconds = 30) =>
        Eventually.TrueAsync(() => Controller.Queue.Delayed >= autoscalers && Controller.Queue.Count == 0 && Controller.Autoscalers.Count() >= autoscalers,
            $"{autoscalers} PodAutoscalers reconciled and requeued", seconds);

    /// <summary>Moves the clock one interval and waits for the round it starts to finish.</summary>
    public async Task TickAsync(int autoscalers = 1, int seconds = 30)
    {
        await SettledAsync(autoscalers, seconds);
        long before = Controller.Reconciles;
        Time.Advance(Interval);
        await Eventually.TrueAsync(() => Controller.Reconciles >= before + autoscalers, "the next round started", seconds);
        await SettledAsync(autoscalers, seconds);
    }

    public int Replicas(string deployment) => (int)Api.Get(Apps, "deployments", "default", deployment)!["spec"]!["replicas"].AsLong();

    public JsonObject? Pa(string name) => Api.Get(PaPath, PodAutoscaler.Plural, "default", name);

    public JsonObject? Condition(string pa, string type) =>
        (Pa(pa)?["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);

    public string? ConditionStatus(string pa, string type) => Condition(pa, type)?["status"]?.GetValue<string>();

    public IReadOnlyList<JsonObject> Events(string reason) =>
        Api.All(Objects.CoreV1, "events", "default").Where(e => e["reason"]?.GetValue<string>() == reason).ToList();

    /// <summary>A Deployment selecting <c>app=name</c> with <paramref name="replicas"/> (spec and status).</summary>
    public static JsonObject Deployment(string name, int replicas) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } } },
        },
        ["status"] = new JsonObject { ["replicas"] = replicas },
    };

    /// <summary>A pod of <c>app=<paramref name="app"/></c> whose metrics are on <paramref name="metricPort"/>.</summary>
    public static JsonObject Pod(string name, string app, int metricPort, bool ready = true, string? engine = null)
    {
        var pod = Objects.Pod(name, app, 8000, ready: ready, engine: engine, metricPort: metricPort);
        pod["metadata"]!["labels"]!["app"] = app;
        return pod;
    }

    /// <summary>A PodAutoscaler of <paramref name="target"/> (a Deployment) with one metric source.</summary>
    public static JsonObject Autoscaler(string name, string target, string strategy, string metric, string value, int min = 1, int max = 10,
        string sourceType = "pod", string? endpoint = null, Dictionary<string, string>? annotations = null, string kind = "Deployment", string apiVersion = "apps/v1")
    {
        var source = new JsonObject { ["metricSourceType"] = sourceType, ["targetMetric"] = metric, ["targetValue"] = value };
        if (endpoint is not null)
        {
            source["endpoint"] = endpoint;
            source["path"] = "/metrics";
        }

        var meta = new JsonObject { ["name"] = name };
        if (annotations is not null)
        {
            meta["annotations"] = new JsonObject(annotations.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value)));
        }

        return new JsonObject
        {
            ["apiVersion"] = "autoscaling.aibrix.ai/v1alpha1",
            ["kind"] = "PodAutoscaler",
            ["metadata"] = meta,
            ["spec"] = new JsonObject
            {
                ["scaleTargetRef"] = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["name"] = target },
                ["minReplicas"] = min,
                ["maxReplicas"] = max,
                ["scalingStrategy"] = strategy,
                ["metricsSources"] = new JsonArray(source),
            },
        };
    }

    public static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _run;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
        }

        Controller.Dispose();
        Client.Dispose();
        Http.Dispose();
        await Api.DisposeAsync();
    }
}
