using System.Text.Json.Nodes;
using AIBrix.Controllers.ModelRouter;
using AIBrix.Kubernetes.Runtime;
using AIBrix.Kubernetes.Testing;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;

namespace AIBrix.Controllers.Tests.ModelRouter;

/// <summary>The model router end to end: fake API server over HTTP, real KubernetesClient, real informers.</summary>
public sealed class ModelRouterControllerTests : IAsyncLifetime
{
    private const string Ns = "llm";
    private FakeApiServer _api = null!;
    private IKubernetes _client = null!;
    private ModelRouterController _controller = null!;
    private readonly CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _api = await FakeApiServer.StartAsync();
        _client = _api.CreateClient();
        _controller = new ModelRouterController(_client, new ModelRouterOptions { GatewayName = "my-gw", GatewayNamespace = "gw-ns" }, NullLoggerFactory.Instance,
            new InformerOptions { RetryBackoff = new Backoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(50), 0.2) },
            new Backoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(100)));
        _run = _controller.RunAsync(_stop.Token);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _controller.Dispose();
        _client.Dispose();
        await _api.DisposeAsync();
    }

    private JsonObject? Service(string name) => _api.Get(Objects.CoreV1, "services", Ns, name);

    private JsonObject? Route(string name) => _api.Get(Objects.GatewayV1, "httproutes", Ns, name);

    private static int ServicePort(JsonObject svc) => svc["spec"]!["ports"]![0]!["port"]!.GetValue<int>();

    private static int BackendPort(JsonObject route) => route["spec"]!["rules"]![0]!["backendRefs"]![0]!["port"]!.GetValue<int>();

    private static string[] OwnerNames(JsonObject obj) =>
        [.. (obj["metadata"]!["ownerReferences"] as JsonArray ?? []).Select(o => o!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Deployment_Labelled_GetsServiceAndRouteMatchingTheModelHeader_OwnedByIt()
    {
        var deployment = _api.Put(Objects.AppsV1, "deployments", Ns, Objects.Workload("llama-vllm", "llama-3-8b", port: 8080));

        await Eventually.TrueAsync(() => Route("llama-3-8b-router") is not null, "route created");

        var svc = Service("llama-3-8b")!;
        Assert.Equal(8080, ServicePort(svc));
        Assert.Equal("llama-3-8b", svc["spec"]!["selector"]!["model.aibrix.ai/name"]!.GetValue<string>());
        var owner = svc["metadata"]!["ownerReferences"]![0]!;
        Assert.Equal("Deployment", owner["kind"]!.GetValue<string>());
        Assert.Equal(deployment["metadata"]!["uid"]!.GetValue<string>(), owner["uid"]!.GetValue<string>());

        var route = Route("llama-3-8b-router")!;
        var parent = route["spec"]!["parentRefs"]![0]!;
        Assert.Equal("my-gw", parent["name"]!.GetValue<string>());
        Assert.Equal("gw-ns", parent["namespace"]!.GetValue<string>());
        var rule = route["spec"]!["rules"]![0]!;
        Assert.Equal("llama-3-8b", rule["backendRefs"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(8080, BackendPort(route));
        var matches = rule["matches"]!.AsArray();
        Assert.Contains(matches, m => m!["path"]!["value"]!.GetValue<string>() == "/v1/chat/completions");
        Assert.All(matches, m =>
        {
            var header = m!["headers"]![0]!;
            Assert.Equal(("model", "Exact", "llama-3-8b"), (header["name"]!.GetValue<string>(), header["type"]!.GetValue<string>(), header["value"]!.GetValue<string>()));
        });
        Assert.Equal(["llama-vllm"], OwnerNames(route));
    }

    [Fact]
    public async Task Deployment_PortLabelChanged_ServiceAndRouteFollow()
    {
        _api.Put(Objects.AppsV1, "deployments", Ns, Objects.Workload("qwen", "qwen", port: 8000));
        await Eventually.TrueAsync(() => Route("qwen-router") is not null, "route created");

        _api.Put(Objects.AppsV1, "deployments", Ns, Objects.Workload("qwen", "qwen", port: 9000));

        await Eventually.TrueAsync(() => ServicePort(Service("qwen")!) == 9000 && BackendPort(Route("qwen-router")!) == 9000, "port followed");
    }

    [Fact]
    public async Task Deployment_ModelLabelChanged_OldModelsObjectsRemovedNewOnesCreated()
    {
        _api.Put(Objects.AppsV1, "deployments", Ns, Objects.Workload("serve", "model-a"));
        await Eventually.TrueAsync(() => Route("model-a-router") is not null, "first route");

        _api.Put(Objects.AppsV1, "deployments", Ns, Objects.Workload("serve", "model-b"));

        await Eventually.TrueAsync(() => Route("model-b-router") is not null && Route("model-a-router") is null && Service("model-a") is null, "moved");
        Assert.Equal(8000, ServicePort(Service("model-b")!)); // no port label: AIBrix's default
    }

    [Fact]
    public async Task TwoWorkloadsOfOneModel_ShareTheObjects_RemovedOnlyWithTheLast()
    {
        _api.Put(Objects.AppsV1, "deployments", Ns, Objects.Workload("a", "shared"));
        _api.Put(Objects.AppsV1, "statefulsets", Ns, Objects.Workload("b", "shared", kind: "StatefulSet"));
        await Eventually.TrueAsync(() => Service("shared") is { } s && OwnerNames(s).Length == 2 && Route("shared-router") is { } r && OwnerNames(r).Length == 2, "two owners");

        _api.Remove(Objects.AppsV1, "deployments", Ns, "a");
        await Eventually.TrueAsync(() => Service("shared") is { } s && OwnerNames(s).SequenceEqual(["b"]) && OwnerNames(Route("shared-router")!).SequenceEqual(["b"]), "one owner left");

        _api.Remove(Objects.AppsV1, "statefulsets", Ns, "b");
        await Eventually.TrueAsync(() => Service("shared") is null && Route("shared-router") is null, "removed with the last workload");
    }

    [Fact]
    public async Task ModelNameNotAnObjectName_SanitisedOrFromTheServiceNameAnnotation_WithCustomPaths()
    {
        _api.Put(Objects.AppsV1, "deployments", Ns, Objects.Workload("llama", "Llama-3.1-8B_Instruct"));
        _api.Put(Objects.AppsV1, "deployments", Ns, Objects.Workload("mistral", "Mistral.7B",
            annotations: new JsonObject { ["model.aibrix.ai/service-name"] = "mistral-svc", ["model.aibrix.ai/model-router-custom-paths"] = "/score, /version" }));

        await Eventually.TrueAsync(() => Route("llama-3-1-8b-instruct-router") is not null && Route("mistral-svc-router") is not null, "both routes");

        var header = Route("llama-3-1-8b-instruct-router")!["spec"]!["rules"]![0]!["matches"]![0]!["headers"]![0]!;
        Assert.Equal("Llama-3.1-8B_Instruct", header["value"]!.GetValue<string>()); // the header carries the served name, not the object name
        var paths = Route("mistral-svc-router")!["spec"]!["rules"]![0]!["matches"]!.AsArray().Select(m => m!["path"]!["value"]!.GetValue<string>()).ToList();
        Assert.Contains("/score", paths);
        Assert.Contains("/version", paths);
        Assert.NotNull(Service("mistral-svc"));
    }

    [Fact]
    public async Task ExistingServiceNotOurs_LeftUntouched_RouteStillCreated()
    {
        _api.Put(Objects.CoreV1, "services", Ns, new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Service",
            ["metadata"] = new JsonObject { ["name"] = "custom" },
            ["spec"] = new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["port"] = 1234 }) },
        });

        _api.Put(Objects.AppsV1, "deployments", Ns, Objects.Workload("custom", "custom", port: 8000));

        await Eventually.TrueAsync(() => Route("custom-router") is not null, "route");
        Assert.Equal(1234, ServicePort(Service("custom")!));
        Assert.Null(Service("custom")!["metadata"]!["ownerReferences"]);
    }

    [Fact]
    public async Task NoGatewayApiCrds_ServiceStillCreated_NoRouteAttempted()
    {
        _api.FailNext("GET", "httproutes", 404, times: 1_000_000); // as an API server without the HTTPRoute CRD answers

        _api.Put(Objects.AppsV1, "deployments", Ns, Objects.Workload("solo", "solo", port: 8100));

        await Eventually.TrueAsync(() => Service("solo") is not null, "service");
        Assert.Equal(8100, ServicePort(Service("solo")!));
        Assert.False(_api.Requests.ContainsKey("POST httproutes"));
        _api.FailNext("GET", "httproutes", 404, times: 0);
    }

    [Fact]
    public async Task DeploymentWithoutTheLabel_Ignored()
    {
        var plain = Objects.Workload("web", "x");
        plain["metadata"]!["labels"] = new JsonObject { ["app"] = "web" };
        _api.Put(Objects.AppsV1, "deployments", Ns, plain);
        _api.Put(Objects.AppsV1, "deployments", Ns, Objects.Workload("marker", "marker"));

        await Eventually.TrueAsync(() => Route("marker-router") is not null, "marker route");
        Assert.Single(_api.All(Objects.GatewayV1, "httproutes", Ns));
    }
}
