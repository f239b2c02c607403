using System.Text.Json.Nodes;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Discovery;
using AIBrix.Kubernetes.Runtime;
using AIBrix.Kubernetes.Testing;

namespace AIBrix.Gateway.Tests.Discovery;

/// <summary>
/// <c>--discovery inferencepool</c> against the fake API server: the registry holds exactly the pool's members, on the
/// pool's port, and follows the pool and its pods being added, changed and deleted.
/// </summary>
public sealed class InferencePoolDiscoveryTests
{
    private const string Ns = "llm";
    private const string InferenceV1 = "apis/inference.networking.k8s.io/v1";

    private static JsonObject Pool(string name, JsonObject matchLabels, int port) => new()
    {
        ["apiVersion"] = "inference.networking.k8s.io/v1",
        ["kind"] = "InferencePool",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["selector"] = new JsonObject { ["matchLabels"] = matchLabels },
            ["targetPorts"] = new JsonArray(new JsonObject { ["number"] = port }),
            ["endpointPickerRef"] = new JsonObject { ["name"] = "aibrix-gateway-plugins", ["portNumber"] = 50052, ["failureMode"] = "FailClose" },
        },
    };

    private static JsonObject PoolPod(string name, string app, string ip, bool ready = true)
    {
        var pod = Objects.Pod(name, "llama", 8000, ip: ip, ready: ready);
        pod["metadata"]!["labels"] = new JsonObject { ["app"] = app }; // GIE pods need no AIBrix labels
        return pod;
    }

    [Fact]
    public async Task InferencePool_Members_FollowPoolAndPods()
    {
        await using var api = await FakeApiServer.StartAsync();
        api.Put(Objects.CoreV1, "pods", Ns, PoolPod("vllm-0", "vllm-llama", "10.0.0.1"));
        api.Put(Objects.CoreV1, "pods", Ns, PoolPod("other-0", "other", "10.0.0.9"));
        var registry = new EndpointRegistry(new EndpointRegistryOptions { AssumeReadyWithoutMetrics = true });
        using var client = api.CreateClient();
        var discovery = KubernetesEndpointDiscovery.ForInferencePool(client, Ns, "llama-pool", registry.Apply,
            new InformerOptions { RetryBackoff = new Backoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(50)) });
        using var stop = new CancellationTokenSource();
        var run = discovery.RunAsync(stop.Token);

        // No pool yet: no endpoints, however many pods there are.
        await Eventually.TrueAsync(() => discovery.Publishes >= 1, "first publish");
        Assert.Empty(registry.Current.All);

        // Pool added: its one matching pod, on the pool's port; the model is the pool's name when the pod has no label.
        api.Put(InferenceV1, "inferencepools", Ns, Pool("llama-pool", new JsonObject { ["app"] = "vllm-llama" }, 8000));
        await Eventually.TrueAsync(() => registry.Current.All.Length == 1, "pool members");
        var member = registry.Current.ByName[$"{Ns}/vllm-0"];
        Assert.Equal(("10.0.0.1:8000", "llama-pool"), (member.Spec.Address, member.Spec.Model));

        // Pods added and made unready.
        api.Put(Objects.CoreV1, "pods", Ns, PoolPod("vllm-1", "vllm-llama", "10.0.0.2"));
        await Eventually.TrueAsync(() => registry.Current.All.Length == 2, "second member");
        api.Put(Objects.CoreV1, "pods", Ns, PoolPod("vllm-0", "vllm-llama", "10.0.0.1", ready: false));
        await Eventually.TrueAsync(() => registry.Current.All.Length == 1 && registry.Current.ByName.ContainsKey($"{Ns}/vllm-1"), "unready member left");

        // Pool modified: new port and selector.
        api.Put(InferenceV1, "inferencepools", Ns, Pool("llama-pool", new JsonObject { ["app"] = "other" }, 9000));
        await Eventually.TrueAsync(() => registry.Current.All is [{ Spec.Address: "10.0.0.9:9000" }], "selector and port followed");

        // Pod deleted, then the pool deleted.
        api.Remove(Objects.CoreV1, "pods", Ns, "other-0");
        await Eventually.TrueAsync(() => registry.Current.All.Length == 0, "member pod deleted");
        api.Put(Objects.CoreV1, "pods", Ns, PoolPod("other-1", "other", "10.0.0.10"));
        await Eventually.TrueAsync(() => registry.Current.All.Length == 1, "member pod back");
        api.Remove(InferenceV1, "inferencepools", Ns, "llama-pool");
        await Eventually.TrueAsync(() => registry.Current.All.Length == 0, "pool deleted");

        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task InferencePool_OtherPoolsAndNamespaces_Ignored_PodModelLabelWins()
    {
        await using var api = await FakeApiServer.StartAsync();
        var labelled = Objects.Pod("vllm-0", "meta-llama-3", 8000, ip: "10.0.0.1");
        labelled["metadata"]!["labels"]!["app"] = "vllm";
        api.Put(Objects.CoreV1, "pods", Ns, labelled);
        api.Put(Objects.CoreV1, "pods", "elsewhere", PoolPod("vllm-x", "vllm", "10.0.0.7"));
        api.Put(InferenceV1, "inferencepools", Ns, Pool("another-pool", new JsonObject { ["app"] = "nothing" }, 8000));
        api.Put(InferenceV1, "inferencepools", "elsewhere", Pool("pool", new JsonObject { ["app"] = "vllm" }, 8000));
        api.Put(InferenceV1, "inferencepools", Ns, Pool("pool", new JsonObject { ["app"] = "vllm" }, 8001));
        var registry = new EndpointRegistry(new EndpointRegistryOptions { AssumeReadyWithoutMetrics = true });
        using var client = api.CreateClient();
        var discovery = KubernetesEndpointDiscovery.ForInferencePool(client, Ns, "pool", registry.Apply);
        using var stop = new CancellationTokenSource();
        var run = discovery.RunAsync(stop.Token);

        await Eventually.TrueAsync(() => registry.Current.All.Length == 1, "one member");
        var member = registry.Current.All[0];
        Assert.Equal(("10.0.0.1:8001", "meta-llama-3"), (member.Spec.Address, member.Spec.Model));

        await stop.CancelAsync();
        await run;
    }
}
