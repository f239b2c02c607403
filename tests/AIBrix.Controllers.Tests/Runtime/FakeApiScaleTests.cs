using System.Net;
using System.Text.Json.Nodes;
using AIBrix.Kubernetes.Testing;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace AIBrix.Controllers.Tests.Runtime;

/// <summary>The fake API server's scale subresource behaves as the API server's, through the real client.</summary>
public sealed class FakeApiScaleTests
{
    private static JsonObject Deployment(string name, int replicas, int statusReplicas) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject
            {
                ["matchLabels"] = new JsonObject { ["app"] = name },
                ["matchExpressions"] = new JsonArray(new JsonObject { ["key"] = "tier", ["operator"] = "In", ["values"] = new JsonArray("gpu", "cpu") }),
            },
            ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name, ["tier"] = "gpu" } } },
        },
        ["status"] = new JsonObject { ["replicas"] = statusReplicas },
    };

    [Fact]
    public async Task ReadScale_Deployment_CountsAndSelectorFromSpec()
    {
        await using var api = await FakeApiServer.StartAsync();
        using var client = api.CreateClient();
        api.Put("apis/apps/v1", "deployments", "default", Deployment("llama", 3, 2));

        var scale = await client.AppsV1.ReadNamespacedDeploymentScaleAsync("llama", "default");

        Assert.Equal(3, scale.Spec.Replicas);
        Assert.Equal(2, scale.Status.Replicas);
        Assert.Equal("app=llama,tier in (cpu,gpu)", scale.Status.Selector);
    }

    [Fact]
    public async Task ReplaceScale_Deployment_WritesSpecReplicasAndBumpsGeneration()
    {
        await using var api = await FakeApiServer.StartAsync();
        using var client = api.CreateClient();
        api.Put("apis/apps/v1", "deployments", "default", Deployment("llama", 1, 1));
        long generation = api.Get("apis/apps/v1", "deployments", "default", "llama")!["metadata"]!["generation"]?.AsLong() ?? 1;

        var scale = await client.AppsV1.ReadNamespacedDeploymentScaleAsync("llama", "default");
        scale.Spec.Replicas = 5;
        var written = await client.AppsV1.ReplaceNamespacedDeploymentScaleAsync(scale, "llama", "default");

        Assert.Equal(5, written.Spec.Replicas);
        var stored = api.Get("apis/apps/v1", "deployments", "default", "llama")!;
        Assert.Equal(5, stored["spec"]!["replicas"].AsLong());
        Assert.Equal(1, stored["status"]!["replicas"].AsLong());
        Assert.True(stored["metadata"]!["generation"].AsLong() > generation);
    }

    [Fact]
    public async Task ReplaceScale_StaleResourceVersion_409Conflict()
    {
        await using var api = await FakeApiServer.StartAsync();
        using var client = api.CreateClient();
        api.Put("apis/apps/v1", "deployments", "default", Deployment("llama", 1, 1));
        var stale = await client.AppsV1.ReadNamespacedDeploymentScaleAsync("llama", "default");
        await client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("{\"spec\":{\"replicas\":2}}", V1Patch.PatchType.MergePatch), "llama", "default");

        stale.Spec.Replicas = 4;
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.AppsV1.ReplaceNamespacedDeploymentScaleAsync(stale, "llama", "default"));

        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
        Assert.Equal(2, api.Get("apis/apps/v1", "deployments", "default", "llama")!["spec"]!["replicas"].AsLong());
    }

    [Fact]
    public async Task PatchScale_NegativeReplicas_422AndUnchanged()
    {
        await using var api = await FakeApiServer.StartAsync();
        using var client = api.CreateClient();
        api.Put("apis/apps/v1", "deployments", "default", Deployment("llama", 2, 2));

        var e = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("{\"spec\":{\"replicas\":-1}}", V1Patch.PatchType.MergePatch), "llama", "default"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, e.Response.StatusCode);
        Assert.Equal(2, api.Get("apis/apps/v1", "deployments", "default", "llama")!["spec"]!["replicas"].AsLong());
    }

    [Fact]
    public async Task ReadScale_ResourceWithoutScale_404()
    {
        await using var api = await FakeApiServer.StartAsync();
        using var client = api.CreateClient();
        api.Put(Objects.CoreV1, "pods", "default", Objects.Pod("p", "m", 8000));

        var e = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CustomObjects.GetNamespacedCustomObjectScaleAsync<JsonObject>("", "v1", "default", "pods", "p"));

        Assert.Equal(HttpStatusCode.NotFound, e.Response.StatusCode);
    }

    [Fact]
    public async Task PatchScale_RegisteredCustomResource_UsesDeclaredPathsAndNotifiesWatchers()
    {
        await using var api = await FakeApiServer.StartAsync();
        using var client = api.CreateClient();
        api.Resources.Register("apis/orchestration.aibrix.ai/v1alpha1", "rayclusterfleets",
            new ResourceKind("RayClusterFleet", HasStatus: true, new ScaleSubresource(".spec.replicas", ".status.readyReplicas", ".status.scaleSelector")));
        api.Put("apis/orchestration.aibrix.ai/v1alpha1", "rayclusterfleets", "default", new JsonObject
        {
            ["apiVersion"] = "orchestration.aibrix.ai/v1alpha1",
            ["kind"] = "RayClusterFleet",
            ["metadata"] = new JsonObject { ["name"] = "fleet" },
            ["spec"] = new JsonObject { ["replicas"] = 1 },
            ["status"] = new JsonObject { ["readyReplicas"] = 1, ["scaleSelector"] = "ray.io/node-type=head,fleet=fleet" },
        });
        long before = api.ResourceVersion;

        var scale = await client.CustomObjects.PatchNamespacedCustomObjectScaleAsync<JsonObject>(
            new V1Patch("{\"spec\":{\"replicas\":4}}", V1Patch.PatchType.MergePatch), "orchestration.aibrix.ai", "v1alpha1", "default", "rayclusterfleets", "fleet");

        Assert.Equal(4, scale["spec"]!["replicas"].AsLong());
        Assert.Equal(1, scale["status"]!["replicas"].AsLong());
        Assert.Equal("ray.io/node-type=head,fleet=fleet", scale["status"]!["selector"]!.GetValue<string>());
        Assert.Equal(4, api.Get("apis/orchestration.aibrix.ai/v1alpha1", "rayclusterfleets", "default", "fleet")!["spec"]!["replicas"].AsLong());
        Assert.True(api.ResourceVersion > before);
    }
}

internal static class JsonNumbers
{
    public static long AsLong(this JsonNode? node) => long.Parse(node?.ToJsonString() ?? "null", System.Globalization.CultureInfo.InvariantCulture);
}
