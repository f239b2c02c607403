using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AIBrix.Controllers.ModelAdapters;
using AIBrix.Controllers.Tests.Infrastructure;
using AIBrix.EngineSim;
using AIBrix.Kubernetes.Crds;
using k8s;

namespace AIBrix.Controllers.Tests.ModelAdapters;

/// <summary>The ModelAdapter controller end to end: fake API server over HTTP, real KubernetesClient, simulated vLLM engines.</summary>
public sealed class ModelAdapterControllerTests
{
    private const string Base = "meta-llama/Llama-3.1-8B-Instruct";

    private static Task<SimulatorHost> StartEnginesAsync(int count, int maxLoras = 8) =>
        SimulatorHost.StartAsync(new SimulatorOptions { Instances = count, Port = 0, TimeScale = 1000, MaxLoras = maxLoras, LoraLoadTime = TimeSpan.Zero });

    private static void SeedPods(ControllerFixture f, SimulatorHost sim)
    {
        for (int i = 0; i < sim.Instances.Count; i++)
        {
            f.Api.Put(Objects.CoreV1, "pods", "default", Objects.Pod($"pod-{i}", Base, sim.Instances[i].Port));
        }
    }

    [Fact]
    public async Task ModelAdapter_Created_LoadedOnOnePodConfirmedAndRunning()
    {
        await using var sim = await StartEnginesAsync(2);
        await using var f = await ControllerFixture.StartAsync();
        SeedPods(f, sim);
        f.CreateAdapter(Objects.Adapter("lora-sql", Base));

        await Eventually.TrueAsync(() => f.Phase("lora-sql") == ModelAdapterPhase.Running, "adapter Running");

        var instances = f.Instances("lora-sql");
        string pod = Assert.Single(instances);
        var engine = sim.Instances[int.Parse(pod["pod-".Length..], System.Globalization.CultureInfo.InvariantCulture)];
        var loaded = Assert.Single(engine.LoadedAdapters);
        Assert.Equal("lora-sql", loaded.Name);
        Assert.Equal("org/lora-sql", loaded.Path);

        using var http = new HttpClient();
        var models = await http.GetFromJsonAsync<JsonObject>(new Uri(engine.BaseAddress, "v1/models"));
        var entry = models!["data"]!.AsArray().Single(m => m!["id"]!.GetValue<string>() == "lora-sql");
        Assert.Equal(Base, entry!["parent"]!.GetValue<string>());

        var adapter = f.Adapter("lora-sql")!;
        Assert.Contains(ModelAdapter.Finalizer, adapter["metadata"]!["finalizers"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(1, adapter["status"]!["readyReplicas"]!.GetValue<int>());
        Assert.Equal(2, adapter["status"]!["candidates"]!.AsArray().Count);
        Assert.Contains(adapter["status"]!["conditions"]!.AsArray(), c => c!["type"]!.GetValue<string>() == "Ready" && c["status"]!.GetValue<string>() == "True");
        Assert.Equal(1, f.Engines.Loads);
    }

    [Fact]
    public async Task ModelAdapter_LeadingAgainAfterAPause_FullPassReloadsWhatAnEngineLostMeanwhile()
    {
        await using var sim = await StartEnginesAsync(1);
        await using var f = await ControllerFixture.StartAsync(new ModelAdapterOptions { Resync = TimeSpan.FromMinutes(10) });
        SeedPods(f, sim);
        f.CreateAdapter(Objects.Adapter("lora-sql", Base));
        await Eventually.TrueAsync(() => f.Phase("lora-sql") == ModelAdapterPhase.Running, "adapter Running");
        await Eventually.TrueAsync(
            () => f.Controller.Adapters.SingleOrDefault()?.Metadata.ResourceVersion == f.Adapter("lora-sql")!["metadata"]!["resourceVersion"]!.GetValue<string>() && f.Controller.Queue.Count == 0,
            "controller's cache caught up and queue idle");

        // Leadership lost; meanwhile the engine drops the adapter and nothing in the API server changes.
        await f.StopAsync();
        using var http = new HttpClient();
        using var unload = await http.PostAsJsonAsync(new Uri(sim.Instances[0].BaseAddress, "v1/unload_lora_adapter"), new { lora_name = "lora-sql" });
        unload.EnsureSuccessStatusCode();
        Assert.Empty(sim.Instances[0].LoadedAdapters);
        f.RunAgain();

        // The next periodic resync is 10 minutes away: only the new term's full pass can notice.
        await Eventually.TrueAsync(() => sim.Instances[0].LoadedAdapters.Any(a => a.Name == "lora-sql"), "adapter loaded again", seconds: 15);
        Assert.Equal(2, f.Engines.Loads);
    }

    [Fact]
    public async Task ModelAdapter_Running_HasHeadlessServiceAndEndpointSliceOwnedByAdapter()
    {
        await using var sim = await StartEnginesAsync(1);
        await using var f = await ControllerFixture.StartAsync();
        SeedPods(f, sim);
        f.CreateAdapter(Objects.Adapter("lora-svc", Base));
        await Eventually.TrueAsync(() => f.Phase("lora-svc") == ModelAdapterPhase.Running, "adapter Running");
        await Eventually.TrueAsync(() => f.Api.Get("apis/discovery.k8s.io/v1", "endpointslices", "default", "lora-svc") is not null, "endpoint slice");

        var service = f.Api.Get(Objects.CoreV1, "services", "default", "lora-svc")!;
        Assert.Equal("None", service["spec"]!["clusterIP"]!.GetValue<string>());
        Assert.Equal(sim.Instances[0].Port, service["spec"]!["ports"]![0]!["port"]!.GetValue<int>());
        Assert.Equal("ModelAdapter", service["metadata"]!["ownerReferences"]![0]!["kind"]!.GetValue<string>());
        var slice = f.Api.Get("apis/discovery.k8s.io/v1", "endpointslices", "default", "lora-svc")!;
        Assert.Equal("lora-svc", slice["metadata"]!["labels"]!["kubernetes.io/service-name"]!.GetValue<string>());
        Assert.Equal("127.0.0.1", slice["endpoints"]![0]!["addresses"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task ModelAdapter_Deleted_UnloadedFromEngineAndFinalizerReleased()
    {
        await using var sim = await StartEnginesAsync(1);
        await using var f = await ControllerFixture.StartAsync();
        SeedPods(f, sim);
        f.CreateAdapter(Objects.Adapter("lora-del", Base));
        await Eventually.TrueAsync(() => f.Phase("lora-del") == ModelAdapterPhase.Running, "adapter Running");

        await f.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(ModelAdapter.Group, ModelAdapter.Version, "default", ModelAdapter.Plural, "lora-del");

        await Eventually.TrueAsync(() => f.Adapter("lora-del") is null, "adapter removed after its finalizer");
        Assert.Empty(sim.Instances[0].LoadedAdapters);
        Assert.Equal(1, f.Engines.Unloads);
    }

    [Fact]
    public async Task ModelAdapter_PodDeleted_PlacedAgainOnAnotherPod()
    {
        await using var sim = await StartEnginesAsync(2);
        await using var f = await ControllerFixture.StartAsync();
        SeedPods(f, sim);
        f.CreateAdapter(Objects.Adapter("lora-move", Base));
        await Eventually.TrueAsync(() => f.Phase("lora-move") == ModelAdapterPhase.Running, "adapter Running");
        string first = Assert.Single(f.Instances("lora-move"));

        f.Api.Remove(Objects.CoreV1, "pods", "default", first);

        await Eventually.TrueAsync(() => f.Instances("lora-move") is [var p] && p != first, "adapter moved to the other pod");
        string other = first == "pod-0" ? "pod-1" : "pod-0";
        Assert.Equal(other, Assert.Single(f.Instances("lora-move")));
        Assert.Contains(sim.Instances[other == "pod-0" ? 0 : 1].LoadedAdapters, a => a.Name == "lora-move");
    }

    [Fact]
    public async Task ModelAdapter_EngineRestartedWithoutAdapter_LoadedAgainNotReportedRunningFalsely()
    {
        await using var sim = await StartEnginesAsync(1);
        await using var f = await ControllerFixture.StartAsync();
        SeedPods(f, sim);
        f.CreateAdapter(Objects.Adapter("lora-restart", Base));
        await Eventually.TrueAsync(() => f.Phase("lora-restart") == ModelAdapterPhase.Running, "adapter Running");

        // The container restarts: the engine comes back empty and the pod's restart count moves (a pod MODIFIED event).
        using (var http = new HttpClient())
        {
            using var response = await http.PostAsJsonAsync(new Uri(sim.Instances[0].BaseAddress, "v1/unload_lora_adapter"), new { lora_name = "lora-restart" });
            response.EnsureSuccessStatusCode();
        }

        Assert.Empty(sim.Instances[0].LoadedAdapters);
        f.Api.Put(Objects.CoreV1, "pods", "default", Objects.Pod("pod-0", Base, sim.Instances[0].Port, restarts: 1));

        await Eventually.TrueAsync(() => sim.Instances[0].LoadedAdapters.Any(a => a.Name == "lora-restart"), "adapter loaded again");
        Assert.Equal(2, f.Engines.Loads);
        Assert.Equal(ModelAdapterPhase.Running, f.Phase("lora-restart"));
    }

    [Fact]
    public async Task ModelAdapter_InvalidArtifactUrl_FailedWithConditionAndNoEngineCall()
    {
        await using var sim = await StartEnginesAsync(1);
        await using var f = await ControllerFixture.StartAsync();
        SeedPods(f, sim);
        f.CreateAdapter(Objects.Adapter("lora-bad", Base, artifact: "ftp://nowhere/lora"));

        await Eventually.TrueAsync(() => f.Phase("lora-bad") == ModelAdapterPhase.Failed, "adapter Failed");
        var condition = f.Adapter("lora-bad")!["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "Initialized")!;
        Assert.Equal("InvalidSpec", condition["reason"]!.GetValue<string>());
        Assert.Equal(0, f.Engines.Loads);
    }

    [Fact]
    public async Task ModelAdapter_EngineAlwaysFull_RetriedFiveTimesThenFailed()
    {
        await using var sim = await StartEnginesAsync(1, maxLoras: 0);
        await using var f = await ControllerFixture.StartAsync(new ModelAdapterOptions { Resync = TimeSpan.FromHours(1) });
        SeedPods(f, sim);
        f.CreateAdapter(Objects.Adapter("lora-full", Base));

        await Eventually.TrueAsync(() => f.Phase("lora-full") == ModelAdapterPhase.Failed, "adapter Failed after retries");
        Assert.Equal(5, f.Engines.Loads);
        var ready = f.Adapter("lora-full")!["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "Ready")!;
        Assert.Equal("LoadFailed", ready["reason"]!.GetValue<string>());
        Assert.Contains(f.Api.All(Objects.CoreV1, "events", "default"), e => e["reason"]!.GetValue<string>() == "LoadFailed");
    }

    [Fact]
    public async Task ModelAdapter_NoCandidatePod_PendingThenLoadedWhenPodBecomesReady()
    {
        await using var sim = await StartEnginesAsync(1);
        await using var f = await ControllerFixture.StartAsync();
        f.Api.Put(Objects.CoreV1, "pods", "default", Objects.Pod("pod-0", Base, sim.Instances[0].Port, ready: false));
        f.CreateAdapter(Objects.Adapter("lora-wait", Base));
        await Eventually.TrueAsync(() => f.Phase("lora-wait") == ModelAdapterPhase.Pending, "adapter Pending");
        Assert.Empty(sim.Instances[0].LoadedAdapters);

        f.Api.Put(Objects.CoreV1, "pods", "default", Objects.Pod("pod-0", Base, sim.Instances[0].Port));

        await Eventually.TrueAsync(() => f.Phase("lora-wait") == ModelAdapterPhase.Running, "adapter Running once the pod is ready");
        Assert.Single(sim.Instances[0].LoadedAdapters);
    }

    [Fact]
    public async Task ModelAdapter_TwoReplicasLeastAdapters_SpreadOverBothPods()
    {
        await using var sim = await StartEnginesAsync(3);
        await using var f = await ControllerFixture.StartAsync();
        SeedPods(f, sim);
        f.CreateAdapter(Objects.Adapter("lora-a", Base, replicas: 2));
        await Eventually.TrueAsync(() => f.Instances("lora-a").Count == 2, "two replicas");
        f.CreateAdapter(Objects.Adapter("lora-b", Base));
        await Eventually.TrueAsync(() => f.Phase("lora-b") == ModelAdapterPhase.Running, "lora-b Running");

        // lora-b goes to the pod lora-a left empty.
        var all = f.Instances("lora-a").Concat(f.Instances("lora-b")).ToList();
        Assert.Equal(3, all.Distinct().Count());
        Assert.Equal(3, f.Engines.Loads);
    }

    [Fact]
    public async Task ModelAdapter_ReplicasPatchedDown_ExtraInstanceUnloaded()
    {
        await using var sim = await StartEnginesAsync(2);
        await using var f = await ControllerFixture.StartAsync();
        SeedPods(f, sim);
        f.CreateAdapter(Objects.Adapter("lora-scale", Base, replicas: 2));
        await Eventually.TrueAsync(() => f.Instances("lora-scale").Count == 2, "two replicas");

        await f.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new k8s.Models.V1Patch("{\"spec\":{\"replicas\":1}}", k8s.Models.V1Patch.PatchType.MergePatch),
            ModelAdapter.Group, ModelAdapter.Version, "default", ModelAdapter.Plural, "lora-scale");

        await Eventually.TrueAsync(() => f.Instances("lora-scale").Count == 1, "one replica");
        Assert.Equal(1, sim.Instances.Sum(i => i.LoadedAdapters.Count));
        Assert.Equal(1, f.Engines.Unloads);
        Assert.Equal(2, f.Adapter("lora-scale")!["status"]!["observedGeneration"]!.GetValue<long>());
    }
}
