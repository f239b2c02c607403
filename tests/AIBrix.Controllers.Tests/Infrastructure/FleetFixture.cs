using System.Text.Json.Nodes;
using AIBrix.Controllers.Fleets;
using AIBrix.Controllers.Fleets.ReplicaSets;
using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Runtime;
using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AIBrix.Controllers.Tests.Infrastructure;

/// <summary>
/// A fake API server with the RayClusterFleet and RayClusterReplicaSet controllers and a <see cref="KubeRayStandIn"/>
/// running against it, on a fake clock (minReadySeconds, the grace period and the progress deadline move only when a
/// test advances it).
/// </summary>
internal sealed class FleetFixture : IAsyncDisposable
{
    public const string Orchestration = "apis/orchestration.aibrix.ai/v1alpha1";
    private CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;

    private FleetFixture(FakeApiServer api, FakeTimeProvider time, FleetOptions options, bool instant, ILoggerFactory loggers)
    {
        Api = api;
        Time = time;
        Client = api.CreateClient();
        var informers = new InformerOptions { RetryBackoff = new Backoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(50), 0.2) };
        var queue = new Backoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(100));
        Fleets = new RayClusterFleetController(Client, options, loggers, informers, queue);
        Sets = new RayClusterReplicaSetController(Client, options, loggers, informers, queue);
        KubeRay = new KubeRayStandIn(api, time, instant);
    }

    public FakeApiServer Api { get; }

    public FakeTimeProvider Time { get; }

    public IKubernetes Client { get; }

    public RayClusterFleetController Fleets { get; }

    public RayClusterReplicaSetController Sets { get; }

    public KubeRayStandIn KubeRay { get; }

    /// <summary>Starts everything; <paramref name="instant"/> makes every new cluster ready at once.</summary>
    public static async Task<FleetFixture> StartAsync(bool instant = true, TimeSpan? grace = null, ILoggerFactory? loggers = null)
    {
        var api = await FakeApiServer.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
        var options = new FleetOptions { Namespaces = ["default"], Workers = 2, Time = new SplitTime(time), UnreadyGracePeriod = grace ?? TimeSpan.FromMinutes(2) };
        var fixture = new FleetFixture(api, time, options, instant, loggers ?? NullLoggerFactory.Instance);
        fixture.Run();
        return fixture;
    }

    /// <summary>Stops both controllers as a lost leadership does.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _run;
    }

    /// <summary>Runs the same controllers again, as a replica that leads again does.</summary>
    public void Run()
    {
        _stop.Dispose();
        _stop = new CancellationTokenSource();
        _run = Task.WhenAll(Fleets.RunAsync(_stop.Token), Sets.RunAsync(_stop.Token));
    }

    /// <summary>A fleet of <paramref name="replicas"/> two-node clusters (a head and one worker) of model <c>llama-70b</c>.</summary>
    public static JsonObject Fleet(string name, int replicas, string image = "vllm/vllm-openai:v0.6.0", JsonObject? strategy = null, int? minReadySeconds = null,
        int? historyLimit = null, int? deadline = null)
    {
        var spec = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name, [ModelLabels.Name] = "llama-70b" } },
                ["spec"] = new JsonObject
                {
                    ["rayVersion"] = "2.40.0",
                    ["headGroupSpec"] = new JsonObject
                    {
                        ["rayStartParams"] = new JsonObject { ["dashboard-host"] = "0.0.0.0" },
                        ["template"] = new JsonObject
                        {
                            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [ModelLabels.Port] = "8000" } },
                            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "ray-head", ["image"] = image }) },
                        },
                    },
                    ["workerGroupSpecs"] = new JsonArray(new JsonObject
                    {
                        ["groupName"] = "gpu",
                        ["replicas"] = 1,
                        ["rayStartParams"] = new JsonObject(),
                        ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "ray-worker", ["image"] = image }) } },
                    }),
                },
            },
        };
        if (strategy is not null)
        {
            spec["strategy"] = strategy;
        }

        if (minReadySeconds is not null)
        {
            spec["minReadySeconds"] = minReadySeconds;
        }

        if (historyLimit is not null)
        {
            spec["revisionHistoryLimit"] = historyLimit;
        }

        if (deadline is not null)
        {
            spec["progressDeadlineSeconds"] = deadline;
        }

        return new JsonObject
        {
            ["apiVersion"] = "orchestration.aibrix.ai/v1alpha1",
            ["kind"] = RayClusterFleet.KindName,
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = spec,
        };
    }

    /// <summary>A rolling update strategy.</summary>
    public static JsonObject Rolling(JsonNode surge, JsonNode unavailable) => new()
    {
        ["type"] = FleetStrategyTypes.RollingUpdate,
        ["rollingUpdate"] = new JsonObject { ["maxSurge"] = surge, ["maxUnavailable"] = unavailable },
    };

    public JsonObject Put(JsonObject fleet) => Api.Put(Orchestration, RayClusterFleet.Plural, "default", fleet);

    public JsonObject? Fleet(string name) => Api.Get(Orchestration, RayClusterFleet.Plural, "default", name);

    /// <summary>Changes the fleet's spec as kubectl edit would (a new generation).</summary>
    public void Edit(string name, Action<JsonObject> change)
    {
        var fleet = Fleet(name)!;
        change(fleet);
        fleet["metadata"]!["generation"] = Int(fleet, "metadata", "generation") + 1L;
        Put(fleet);
    }

    /// <summary>Sets the image of the head and workers: a new template.</summary>
    public void SetImage(string name, string image) => Edit(name, f =>
    {
        f["spec"]!["template"]!["spec"]!["headGroupSpec"]!["template"]!["spec"]!["containers"]![0]!["image"] = image;
        f["spec"]!["template"]!["spec"]!["workerGroupSpecs"]![0]!["template"]!["spec"]!["containers"]![0]!["image"] = image;
    });

    public IReadOnlyList<JsonObject> ReplicaSets() => Api.All(Orchestration, RayClusterReplicaSet.Plural, "default");

    public IReadOnlyList<JsonObject> Clusters() => KubeRay.Clusters();

    public static string Image(JsonObject cluster) => cluster["spec"]!["headGroupSpec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>();

    public static string NameOf(JsonObject obj) => obj["metadata"]!["name"]!.GetValue<string>();

    public static int Int(JsonObject? obj, params string[] path)
    {
        JsonNode? node = obj;
        foreach (var p in path)
        {
            node = node?[p];
        }

        return node is null ? 0 : int.Parse(node.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture); // ints and longs alike
    }

    public string? Condition(string fleet, string type, string field = "status") =>
        (Fleet(fleet)?["status"]?["conditions"] as JsonArray)?.FirstOrDefault(c => c?["type"]?.GetValue<string>() == type)?[field]?.GetValue<string>();

    /// <summary>True once the fleet's status says every cluster runs the current template and is available.</summary>
    public bool Converged(string name, int replicas)
    {
        var fleet = Fleet(name);
        return fleet?["status"] is JsonObject s && Int(s, "observedGeneration") == Int(fleet, "metadata", "generation")
            && Int(s, "replicas") == replicas && Int(s, "updatedReplicas") == replicas && Int(s, "availableReplicas") == replicas
            && Clusters().Count == replicas;
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

        await KubeRay.DisposeAsync();
        Fleets.Dispose();
        Sets.Dispose();
        Client.Dispose();
        await Api.DisposeAsync();
    }
}
