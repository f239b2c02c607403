using System.Net;
using AIBrix.Controllers.Tests.Infrastructure;
using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Testing;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace AIBrix.Controllers.Tests.Runtime;

/// <summary>The fake API server keeps the protocol rules the controllers rely on (through the real client).</summary>
public sealed class FakeApiServerTests
{
    [Fact]
    public async Task FakeApi_ModelAdapterReplaceWithStaleResourceVersion_409Conflict()
    {
        await using var api = await FakeApiServer.StartAsync();
        using var client = api.CreateClient();
        api.Put(Objects.ModelV1Alpha1, "modeladapters", "default", Objects.Adapter("a", "m"));
        var first = await client.CustomObjects.GetNamespacedCustomObjectAsync<ModelAdapter>(ModelAdapter.Group, ModelAdapter.Version, "default", ModelAdapter.Plural, "a");
        var stale = await client.CustomObjects.GetNamespacedCustomObjectAsync<ModelAdapter>(ModelAdapter.Group, ModelAdapter.Version, "default", ModelAdapter.Plural, "a");
        first.Spec.Replicas = 2;
        await client.CustomObjects.ReplaceNamespacedCustomObjectAsync<ModelAdapter>(first, ModelAdapter.Group, ModelAdapter.Version, "default", ModelAdapter.Plural, "a");

        stale.Spec.Replicas = 3;
        var e = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CustomObjects.ReplaceNamespacedCustomObjectAsync<ModelAdapter>(stale, ModelAdapter.Group, ModelAdapter.Version, "default", ModelAdapter.Plural, "a"));
        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
        Assert.Equal(2, api.Get(Objects.ModelV1Alpha1, "modeladapters", "default", "a")!["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task FakeApi_ModelAdapterStatusSubresource_StatusOnlyThroughStatusAndSpecOnlyThroughMain()
    {
        await using var api = await FakeApiServer.StartAsync();
        using var client = api.CreateClient();
        api.Put(Objects.ModelV1Alpha1, "modeladapters", "default", Objects.Adapter("a", "m"));
        var adapter = await client.CustomObjects.GetNamespacedCustomObjectAsync<ModelAdapter>(ModelAdapter.Group, ModelAdapter.Version, "default", ModelAdapter.Plural, "a");

        adapter.Status = new ModelAdapterStatus { Phase = "Running" };
        adapter.Spec.Replicas = 9;
        adapter = await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<ModelAdapter>(adapter, ModelAdapter.Group, ModelAdapter.Version, "default", ModelAdapter.Plural, "a");
        Assert.Equal("Running", adapter.Status!.Phase);
        Assert.Null(adapter.Spec.Replicas);

        adapter.Status = new ModelAdapterStatus { Phase = "Failed" };
        adapter = await client.CustomObjects.ReplaceNamespacedCustomObjectAsync<ModelAdapter>(adapter, ModelAdapter.Group, ModelAdapter.Version, "default", ModelAdapter.Plural, "a");
        Assert.Equal("Running", adapter.Status!.Phase);
    }

    [Fact]
    public async Task FakeApi_MergePatchAndJsonPatch_ApplyToPods()
    {
        await using var api = await FakeApiServer.StartAsync();
        using var client = api.CreateClient();
        api.Put(Objects.CoreV1, "pods", "default", Objects.Pod("p", "m", 8000));

        await client.CoreV1.PatchNamespacedPodAsync(new V1Patch("{\"metadata\":{\"labels\":{\"x\":\"1\",\"model.aibrix.ai/port\":null}}}", V1Patch.PatchType.MergePatch), "p", "default");
        var pod = await client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("[{\"op\":\"add\",\"path\":\"/metadata/labels/y\",\"value\":\"2\"},{\"op\":\"replace\",\"path\":\"/metadata/labels/x\",\"value\":\"3\"}]", V1Patch.PatchType.JsonPatch), "p", "default");

        Assert.Equal("3", pod.Metadata.Labels["x"]);
        Assert.Equal("2", pod.Metadata.Labels["y"]);
        Assert.False(pod.Metadata.Labels.ContainsKey("model.aibrix.ai/port"));
    }

    [Fact]
    public async Task FakeApi_DeleteWithFinalizer_SetsDeletionTimestampThenRemovesWhenFinalizerCleared()
    {
        await using var api = await FakeApiServer.StartAsync();
        using var client = api.CreateClient();
        var adapter = Objects.Adapter("a", "m");
        adapter["metadata"]!["finalizers"] = new System.Text.Json.Nodes.JsonArray(ModelAdapter.Finalizer);
        api.Put(Objects.ModelV1Alpha1, "modeladapters", "default", adapter);

        await client.CustomObjects.DeleteNamespacedCustomObjectAsync(ModelAdapter.Group, ModelAdapter.Version, "default", ModelAdapter.Plural, "a");
        var deleting = await client.CustomObjects.GetNamespacedCustomObjectAsync<ModelAdapter>(ModelAdapter.Group, ModelAdapter.Version, "default", ModelAdapter.Plural, "a");
        Assert.NotNull(deleting.Metadata.DeletionTimestamp);

        deleting.Metadata.Finalizers.Clear();
        await client.CustomObjects.ReplaceNamespacedCustomObjectAsync<ModelAdapter>(deleting, ModelAdapter.Group, ModelAdapter.Version, "default", ModelAdapter.Plural, "a");
        Assert.Null(api.Get(Objects.ModelV1Alpha1, "modeladapters", "default", "a"));
    }

    [Fact]
    public async Task FakeApi_ListWithLabelSelector_ReturnsOnlyMatchingPods()
    {
        await using var api = await FakeApiServer.StartAsync();
        using var client = api.CreateClient();
        api.Put(Objects.CoreV1, "pods", "default", Objects.Pod("model", "m", 8000));
        api.Put(Objects.CoreV1, "pods", "default", new System.Text.Json.Nodes.JsonObject { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "plain" } });

        var list = await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: ModelLabels.Name);

        Assert.Equal(["model"], list.Items.Select(p => p.Metadata.Name));
    }

    [Theory]
    [InlineData("model.aibrix.ai/name in (a,b)", "pod-a,pod-b")]
    [InlineData("model.aibrix.ai/name notin (a)", "pod-b,pod-c")]
    [InlineData("model.aibrix.ai/name!=b,model.aibrix.ai/engine", "pod-a")]
    [InlineData("!model.aibrix.ai/engine", "pod-b,pod-c")]
    public async Task FakeApi_ListWithSelectorSyntax_ReturnsMatchingPods(string selector, string expected)
    {
        await using var api = await FakeApiServer.StartAsync();
        using var client = api.CreateClient();
        api.Put(Objects.CoreV1, "pods", "default", Objects.Pod("pod-a", "a", 8000, engine: "vllm"));
        api.Put(Objects.CoreV1, "pods", "default", Objects.Pod("pod-b", "b", 8000));
        api.Put(Objects.CoreV1, "pods", "default", Objects.Pod("pod-c", "c", 8000));

        var list = await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: selector);

        Assert.Equal(expected, string.Join(',', list.Items.Select(p => p.Metadata.Name)));
    }

    [Fact]
    public async Task FakeApi_MalformedLabelSelector_400BadRequest()
    {
        await using var api = await FakeApiServer.StartAsync();
        using var client = api.CreateClient();

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "model in a,b"));

        Assert.Equal(HttpStatusCode.BadRequest, e.Response.StatusCode);
        Assert.Contains("unable to parse requirement", e.Response.Content, StringComparison.Ordinal);
    }
}
