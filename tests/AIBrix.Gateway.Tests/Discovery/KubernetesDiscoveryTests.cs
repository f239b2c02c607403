using System.Text.Json.Nodes;
using AIBrix.Gateway.Core.Endpoints;
using AIBrix.Gateway.Discovery;
using AIBrix.Kubernetes.Runtime;
using AIBrix.Kubernetes.Testing;

namespace AIBrix.Gateway.Tests.Discovery;

/// <summary>Discovery against the fake API server: the gateway's registry follows pods and adapters.</summary>
public sealed class KubernetesDiscoveryTests
{
    [Fact]
    public async Task Discovery_PodsAndAdapterStatus_FeedTheRegistryAndFollowChanges()
    {
        await using var api = await FakeApiServer.StartAsync();
        api.Put(Objects.CoreV1, "pods", "default", Objects.Pod("pod-a", "llama", 8001));
        api.Put(Objects.CoreV1, "pods", "other", Objects.Pod("pod-x", "llama", 8001));
        var adapter = Objects.Adapter("lora-1", "llama");
        adapter["status"] = new JsonObject { ["instances"] = new JsonArray("pod-a") };
        api.Put(Objects.ModelV1Alpha1, "modeladapters", "default", adapter);

        var registry = new EndpointRegistry(new EndpointRegistryOptions { AssumeReadyWithoutMetrics = true });
        using var client = api.CreateClient();
        var discovery = new KubernetesEndpointDiscovery(client, ["default"], registry.Apply,
            new InformerOptions { RetryBackoff = new Backoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(50)) });
        using var stop = new CancellationTokenSource();
        var run = discovery.RunAsync(stop.Token);

        await Eventually.TrueAsync(() => registry.Current.All.Length == 1, "first publish");
        var endpoint = registry.Current.ByName["default/pod-a"];
        Assert.Equal("127.0.0.1:8001", endpoint.Spec.Address);
        Assert.Equal(["lora-1"], endpoint.Spec.Adapters);
        Assert.True(registry.Current.IsKnownModel("lora-1"));

        api.Put(Objects.CoreV1, "pods", "default", Objects.Pod("pod-b", "llama", 8002));
        await Eventually.TrueAsync(() => registry.Current.All.Length == 2, "new pod discovered");

        api.Put(Objects.CoreV1, "pods", "default", Objects.Pod("pod-a", "llama", 8001, ready: false));
        await Eventually.TrueAsync(() => !registry.Current.ByName.ContainsKey("default/pod-a"), "unready pod removed");
        Assert.False(registry.Current.IsKnownModel("lora-1"));

        await stop.CancelAsync();
        await run;
    }
}
