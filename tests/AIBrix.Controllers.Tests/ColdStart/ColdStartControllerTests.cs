using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using AIBrix.Controllers.ColdStart;
using AIBrix.Controllers.ModelAdapters;
using AIBrix.Kubernetes.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AIBrix.Controllers.Tests.ColdStart;

/// <summary>
/// The cold-start controller end to end: the fake API server, real KubernetesClient, and runtimes over real HTTP
/// answering <c>GET /v1/artifacts</c> in the runtime's format; the controller labels the Nodes and touches no pod.
/// </summary>
public sealed class ColdStartControllerTests
{
    private const string Model = "llama-8b";

    private static JsonObject Node(string name, JsonObject? labels = null) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Node",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels ?? new JsonObject { ["kubernetes.io/hostname"] = name } },
    };

    private static JsonObject RuntimePod(string name, string node, int runtimePort)
    {
        var pod = Objects.Pod(name, Model, port: 1);
        pod["metadata"]!["annotations"] = new JsonObject { [RuntimeSidecar.PortAnnotation] = runtimePort.ToString(CultureInfo.InvariantCulture) };
        pod["spec"]!["nodeName"] = node;
        return pod;
    }

    private static string? Label(FakeApiServer api, string node, string key) =>
        api.Get(Objects.CoreV1, "nodes", null, node)?["metadata"]?["labels"]?[key]?.GetValue<string>();

    [Fact]
    public async Task Runtimes_ReportArtifacts_NodesLabelledByTierStaleLabelsRemovedPodsUntouched()
    {
        await using var runtimeA = await ArtifactsStandIn.StartAsync("node-a", ("meta-llama/Llama-8B", "memory"));
        await using var runtimeB = await ArtifactsStandIn.StartAsync("node-b", ("llama-8b", "disk"), ("other/model", "memory"));
        await using var api = await FakeApiServer.StartAsync();
        api.Put(Objects.CoreV1, "nodes", null, Node("node-a"));
        api.Put(Objects.CoreV1, "nodes", null, Node("node-b"));
        api.Put(Objects.CoreV1, "nodes", null, Node("node-c", new JsonObject { ["zone"] = "z1", ["artifacts.aibrix.ai/llama-8b"] = "memory" }));
        var podA = RuntimePod("pod-a", "node-a", runtimeA.Port);
        podA["metadata"]!["annotations"]![ColdStartLabels.ArtifactAnnotation] = "meta-llama/Llama-8B";
        api.Put(Objects.CoreV1, "pods", "default", podA);
        api.Put(Objects.CoreV1, "pods", "default", RuntimePod("pod-b", "node-b", runtimeB.Port));
        var versions = api.All(Objects.CoreV1, "pods", "default").ToDictionary(p => p["metadata"]!["name"]!.GetValue<string>(), p => p["metadata"]!["resourceVersion"]!.ToString());
        using var client = api.CreateClient();
        using var controller = new ColdStartController(client, new RuntimeArtifactsClient(new HttpClient { Timeout = TimeSpan.FromSeconds(10) }),
            new ColdStartOptions { Namespaces = ["default"], Interval = TimeSpan.FromMilliseconds(100) }, NullLoggerFactory.Instance,
            new InformerOptions { RetryBackoff = new Backoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(50), 0.2) });
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);
        try
        {
            await Eventually.TrueAsync(() => Label(api, "node-a", "artifacts.aibrix.ai/llama-8b") == "memory" && Label(api, "node-b", "artifacts.aibrix.ai/llama-8b") == "disk"
                && Label(api, "node-c", "artifacts.aibrix.ai/llama-8b") is null, "nodes labelled");

            Assert.Equal("z1", Label(api, "node-c", "zone"));
            Assert.Equal("node-a", Label(api, "node-a", "kubernetes.io/hostname"));
            Assert.Null(Label(api, "node-b", "artifacts.aibrix.ai/model")); // a model no pod serves is not labelled
            Assert.Equal(new Dictionary<string, string> { ["node-a"] = "memory", ["node-b"] = "disk" }, controller.Reconciler.Holdings[Model]);

            // The page cache warms on node-b: the label follows on the next poll, and nothing is patched when nothing changes.
            runtimeB.Set(("llama-8b", "memory"));
            await Eventually.TrueAsync(() => Label(api, "node-b", "artifacts.aibrix.ai/llama-8b") == "memory", "node-b relabelled");
            // One worker: once a later pass has started, the pass that patched has finished counting.
            long settled = controller.Reconciles;
            await Eventually.TrueAsync(() => controller.Reconciles >= settled + 2, "the patching pass finished");
            long patches = controller.Reconciler.Patches;
            long passes = controller.Reconciles;
            await Eventually.TrueAsync(() => controller.Reconciles >= passes + 3, "three more passes");
            Assert.Equal(patches, controller.Reconciler.Patches);

            Assert.Equal(versions, api.All(Objects.CoreV1, "pods", "default").ToDictionary(p => p["metadata"]!["name"]!.GetValue<string>(), p => p["metadata"]!["resourceVersion"]!.ToString()));
            Assert.Equal(0, controller.Errors);
        }
        finally
        {
            await stop.CancelAsync();
            await run;
        }
    }

    [Fact]
    public void Plan_ArtifactMatchingAndLabelChanges()
    {
        var reports = new Dictionary<string, IReadOnlyList<ReportedArtifact>>
        {
            ["n1"] = [new("org/Qwen3-8B", null, 10, "disk"), new("adapters/lora", null, 1, "memory")],
            ["n2"] = [new("qwen3-8b", "hf://Qwen/Qwen3-8B", 10, "memory")],
            ["n3"] = [new("custom/weights", null, 10, "memory")],
        };
        var holdings = NodeArtifactPlan.Holdings(new Dictionary<string, string?> { ["qwen3-8b"] = null, ["custom"] = "custom/weights" }, reports);

        Assert.Equal(new Dictionary<string, string> { ["n1"] = "disk", ["n2"] = "memory" }, holdings["qwen3-8b"]);
        Assert.Equal(new Dictionary<string, string> { ["n3"] = "memory" }, holdings["custom"]);

        var current = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["n1"] = new Dictionary<string, string> { ["artifacts.aibrix.ai/qwen3-8b"] = "disk" },
            ["n4"] = new Dictionary<string, string> { ["artifacts.aibrix.ai/custom"] = "disk" },
        };
        var changes = NodeArtifactPlan.Changes(holdings, current);

        Assert.False(changes.ContainsKey("n1")); // already right
        Assert.Equal("memory", changes["n2"]["artifacts.aibrix.ai/qwen3-8b"]);
        Assert.Equal("memory", changes["n3"]["artifacts.aibrix.ai/custom"]);
        Assert.Null(Assert.Single(changes["n4"]).Value);
    }

    [Fact]
    public void PreferredTerms_MemoryOutweighsDiskOnTheModelsKey()
    {
        var terms = ColdStartLabels.PreferredTerms("qwen3-8b");

        Assert.Equal([100, 50], terms.Select(t => t.Weight));
        Assert.All(terms, t => Assert.Equal("artifacts.aibrix.ai/qwen3-8b", Assert.Single(t.Preference.MatchExpressions).Key));
        Assert.Equal(["memory", "disk"], terms.Select(t => Assert.Single(t.Preference.MatchExpressions[0].Values)));
    }

    /// <summary>A runtime's <c>GET /v1/artifacts</c> over real HTTP, in the runtime's JSON; its answer can change.</summary>
    private sealed class ArtifactsStandIn : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private volatile JsonObject _report = new();

        private ArtifactsStandIn(WebApplication app) => _app = app;

        public int Port { get; private set; }

        public string Node { get; private init; } = "";

        public static async Task<ArtifactsStandIn> StartAsync(string node, params (string Name, string Tier)[] artifacts)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            var standIn = new ArtifactsStandIn(app) { Node = node };
            standIn.Set(artifacts);
            app.MapGet("/v1/artifacts", () => Results.Text(standIn._report.ToJsonString(), "application/json"));
            await app.StartAsync();
            standIn.Port = new Uri(app.Urls.First()).Port;
            return standIn;
        }

        public void Set(params (string Name, string Tier)[] artifacts) => _report = new JsonObject
        {
            ["node"] = Node,
            ["models_dir"] = "/models",
            ["residency"] = "mincore",
            ["observed_at"] = "2026-12-02T00:00:00Z",
            ["artifacts"] = new JsonArray([.. artifacts.Select(a => (JsonNode)new JsonObject
            {
                ["name"] = a.Name, ["source"] = null, ["path"] = "/models/" + a.Name, ["files"] = 1, ["bytes"] = 1000,
                ["tier"] = a.Tier, ["resident_bytes"] = a.Tier == "memory" ? 1000 : 0, ["resident_fraction"] = a.Tier == "memory" ? 1.0 : 0.0,
            })]),
        };

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
