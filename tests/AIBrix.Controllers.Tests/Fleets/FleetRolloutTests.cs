using System.Text.Json.Nodes;
using AIBrix.Controllers.Tests.Infrastructure;
using AIBrix.Kubernetes.Crds;
using static AIBrix.Controllers.Tests.Infrastructure.FleetFixture;

namespace AIBrix.Controllers.Tests.Fleets;

/// <summary>
/// The fleet and replica set controllers together against the fake API server, with the KubeRay stand-in making
/// clusters ready one by one when the test says so: every step of a rollout is checked against its bounds.
/// </summary>
public sealed class FleetRolloutTests
{
    /// <summary>What the API server held at one step of a rollout.</summary>
    private sealed record Step(int Total, int Ready, int Updated);

    /// <summary>Makes one provisioning cluster ready per step until the fleet converges; records each step.</summary>
    private static async Task<List<Step>> StepThroughAsync(FleetFixture f, string name, int replicas, string image)
    {
        var steps = new List<Step>();
        for (int guard = 0; guard < 100; guard++)
        {
            await Eventually.TrueAsync(() => f.Converged(name, replicas) || f.Clusters().Any(c => KubeRayStandIn.IsProvisioning(c) && !KubeRayStandIn.IsReady(c)),
                "a cluster waiting for KubeRay, or convergence");
            var clusters = f.Clusters();
            steps.Add(new Step(clusters.Count, clusters.Count(KubeRayStandIn.IsReady), clusters.Count(c => Image(c) == image)));
            if (f.Converged(name, replicas) && clusters.All(c => Image(c) == image))
            {
                return steps;
            }

            if (clusters.FirstOrDefault(c => KubeRayStandIn.IsProvisioning(c) && !KubeRayStandIn.IsReady(c)) is { } next)
            {
                await f.KubeRay.MakeReadyAsync(NameOf(next));
            }
        }

        throw new InvalidOperationException("the rollout did not finish in 100 steps");
    }

    [Fact]
    public async Task Create_NewFleet_OneReplicaSetMakesEveryClusterAndStatusCountsThem()
    {
        await using var f = await FleetFixture.StartAsync();

        f.Put(Fleet("llama", 3));

        await Eventually.TrueAsync(() => f.Converged("llama", 3), "3 clusters available");
        var set = Assert.Single(f.ReplicaSets());
        string hash = set["metadata"]!["labels"]![FleetLabels.TemplateHash]!.GetValue<string>();
        Assert.Equal($"llama-{hash}", NameOf(set));
        Assert.Equal("1", set["metadata"]!["annotations"]![FleetLabels.Revision]!.GetValue<string>());
        Assert.All(f.Clusters(), c => Assert.Equal(hash, c["metadata"]!["labels"]![FleetLabels.TemplateHash]!.GetValue<string>()));
        Assert.Equal("True", f.Condition("llama", FleetConditions.Available));
        Assert.Equal(FleetConditions.NewReplicaSetAvailable, f.Condition("llama", FleetConditions.Progressing, "reason"));
        Assert.Equal(FleetLabels.HeadSelector("llama"), f.Fleet("llama")!["status"]!["selector"]!.GetValue<string>());
    }

    [Fact]
    public async Task HeadPods_CarryFleetAndModelLabels_WorkersDoNot()
    {
        await using var f = await FleetFixture.StartAsync();
        f.Put(Fleet("llama", 1));
        await Eventually.TrueAsync(() => f.Converged("llama", 1), "1 cluster available");
        string cluster = NameOf(Assert.Single(f.Clusters()));

        var head = f.KubeRay.PodLabels($"{cluster}-head");
        var worker = f.KubeRay.PodLabels($"{cluster}-worker-0");

        Assert.Equal("llama", head[FleetLabels.FleetName]);
        Assert.Equal("llama-70b", head[ModelLabels.Name]);
        Assert.Equal("head", head[RayCluster.NodeTypeLabel]);
        Assert.False(worker.ContainsKey(ModelLabels.Name)); // discovery never sees workers as model pods
        Assert.False(worker.ContainsKey(FleetLabels.FleetName));
    }

    [Fact]
    public async Task RollingUpdate_Surge1Unavailable0_NeverAboveFiveNorBelowFourReadyAtAnyStep()
    {
        await using var f = await FleetFixture.StartAsync(instant: true);
        f.Put(Fleet("llama", 4, strategy: Rolling(1, 0)));
        await Eventually.TrueAsync(() => f.Converged("llama", 4), "4 clusters available");
        f.KubeRay.Instant = false;
        await using var sampler = new ClusterSampler(f.Clusters);

        f.SetImage("llama", "vllm/vllm-openai:v0.7.0");
        var steps = await StepThroughAsync(f, "llama", 4, "vllm/vllm-openai:v0.7.0");

        Assert.All(steps, s => Assert.InRange(s.Total, 4, 5));
        Assert.All(steps, s => Assert.True(s.Ready >= 4, $"{s.Ready} ready at a step"));
        Assert.True(sampler.MaxTotal <= 5, $"{sampler.MaxTotal} clusters at once");
        Assert.True(sampler.MinReady >= 4, $"{sampler.MinReady} ready at once");
        Assert.Equal(5, steps.Count); // four steps of one surge cluster each, then done
        Assert.All(steps.SkipLast(1), s => Assert.Equal(5, s.Total));
        Assert.Equal([1, 2, 3, 4, 4], steps.Select(s => s.Updated));
        Assert.Equal(2, f.ReplicaSets().Count);
        Assert.Equal(0, f.ReplicaSets().Where(s => s["metadata"]!["annotations"]![FleetLabels.Revision]!.GetValue<string>() == "1").Sum(s => Int(s, "spec", "replicas")));
    }

    [Fact]
    public async Task RollingUpdate_25Percent_Of4_IsSurge1AndUnavailable1()
    {
        await using var f = await FleetFixture.StartAsync(instant: true);
        f.Put(Fleet("llama", 4, strategy: Rolling("25%", "25%")));
        await Eventually.TrueAsync(() => f.Converged("llama", 4), "4 clusters available");
        f.KubeRay.Instant = false;
        await using var sampler = new ClusterSampler(f.Clusters);

        f.SetImage("llama", "vllm/vllm-openai:v0.7.0");

        // Before any new cluster is ready it uses both bounds: one surge cluster, one old cluster gone, and with that
        // room a second new one: 3 old (ready) + 2 new (starting) = 5.
        await Eventually.TrueAsync(() => f.Clusters().Count(c => Image(c) == "vllm/vllm-openai:v0.7.0") == 2 && f.Clusters().Count == 5
            && f.Clusters().Count(KubeRayStandIn.IsReady) == 3, "3 old and 2 new clusters");
        var steps = await StepThroughAsync(f, "llama", 4, "vllm/vllm-openai:v0.7.0");

        Assert.All(steps, s => Assert.True(s.Total <= 5 && s.Ready >= 3, $"step {s}"));
        Assert.True(sampler.MaxTotal <= 5 && sampler.MinReady >= 3, $"max {sampler.MaxTotal}, min ready {sampler.MinReady}");
    }

    [Fact]
    public async Task RollingUpdate_Surge0Unavailable0_MovesWithOneUnavailable()
    {
        await using var f = await FleetFixture.StartAsync(instant: true);
        f.Put(Fleet("llama", 3, strategy: Rolling(0, 0)));
        await Eventually.TrueAsync(() => f.Converged("llama", 3), "3 clusters available");
        f.KubeRay.Instant = false;
        await using var sampler = new ClusterSampler(f.Clusters);

        f.SetImage("llama", "v2");
        var steps = await StepThroughAsync(f, "llama", 3, "v2");

        Assert.True(sampler.MaxTotal <= 3, $"{sampler.MaxTotal} clusters at once");
        Assert.True(sampler.MinReady >= 2, $"{sampler.MinReady} ready");
        Assert.Equal(3, steps[^1].Updated);
    }

    [Fact]
    public async Task Recreate_DeletesEveryOldClusterBeforeTheFirstNewOne()
    {
        await using var f = await FleetFixture.StartAsync(instant: true);
        f.Put(Fleet("llama", 3, strategy: new JsonObject { ["type"] = FleetStrategyTypes.Recreate }));
        await Eventually.TrueAsync(() => f.Converged("llama", 3), "3 clusters available");
        bool mixed = false;
        await using var sampler = new ClusterSampler(() =>
        {
            var all = f.Clusters();
            mixed |= all.Select(Image).Distinct().Count() > 1;
            return all;
        });

        f.SetImage("llama", "v2");

        await Eventually.TrueAsync(() => f.Converged("llama", 3) && f.Clusters().All(c => Image(c) == "v2"), "3 new clusters");
        Assert.False(mixed, "old and new clusters existed together");
        Assert.True(sampler.MaxTotal <= 3);
    }

    [Fact]
    public async Task Pause_HoldsTheRolloutUntilResumed_ScalingStillApplies()
    {
        await using var f = await FleetFixture.StartAsync();
        f.Put(Fleet("llama", 2));
        await Eventually.TrueAsync(() => f.Converged("llama", 2), "2 clusters available");

        f.Edit("llama", fl => fl["spec"]!["paused"] = true);
        await Eventually.TrueAsync(() => f.Condition("llama", FleetConditions.Progressing, "reason") == FleetConditions.Paused, "paused");
        f.SetImage("llama", "v2");
        f.Edit("llama", fl => fl["spec"]!["replicas"] = 3);
        await Eventually.TrueAsync(() => f.Clusters().Count == 3 && f.Clusters().All(KubeRayStandIn.IsReady), "scaled to 3 while paused");
        Assert.Single(f.ReplicaSets());
        Assert.DoesNotContain(f.Clusters(), c => Image(c) == "v2");

        f.Edit("llama", fl => fl["spec"]!["paused"] = false);

        await Eventually.TrueAsync(() => f.Converged("llama", 3) && f.Clusters().All(c => Image(c) == "v2"), "rolled out after resume");
    }

    [Fact]
    public async Task Rollback_ToRevision1_ReusesItsReplicaSetAsRevision3()
    {
        await using var f = await FleetFixture.StartAsync();
        f.Put(Fleet("llama", 2));
        await Eventually.TrueAsync(() => f.Converged("llama", 2), "v1 available");
        f.SetImage("llama", "v2");
        await Eventually.TrueAsync(() => f.Converged("llama", 2) && f.Clusters().All(c => Image(c) == "v2"), "v2 available");
        string first = NameOf(f.ReplicaSets().Single(s => s["metadata"]!["annotations"]![FleetLabels.Revision]!.GetValue<string>() == "1"));

        f.Edit("llama", fl => fl["metadata"]!["annotations"] = new JsonObject { [FleetLabels.RollbackTo] = "1" });

        await Eventually.TrueAsync(() => f.Converged("llama", 2) && f.Clusters().All(c => Image(c) == "vllm/vllm-openai:v0.6.0"), "back on v1");
        Assert.Equal(2, f.ReplicaSets().Count);
        var current = f.ReplicaSets().Single(s => Int(s, "spec", "replicas") == 2);
        Assert.Equal(first, NameOf(current));
        Assert.Equal("3", current["metadata"]!["annotations"]![FleetLabels.Revision]!.GetValue<string>());
        Assert.Null(f.Fleet("llama")!["metadata"]!["annotations"]?[FleetLabels.RollbackTo]);
    }

    [Fact]
    public async Task History_PrunedToRevisionHistoryLimit()
    {
        await using var f = await FleetFixture.StartAsync();
        f.Put(Fleet("llama", 1, historyLimit: 1));
        await Eventually.TrueAsync(() => f.Converged("llama", 1), "v1");

        foreach (var image in new[] { "v2", "v3", "v4" })
        {
            f.SetImage("llama", image);
            await Eventually.TrueAsync(() => f.Converged("llama", 1) && f.Clusters().All(c => Image(c) == image), image);
        }

        await Eventually.TrueAsync(() => f.ReplicaSets().Count == 2, "current + 1 old replica set");
        Assert.Equal(["3", "4"], f.ReplicaSets().Select(s => s["metadata"]!["annotations"]![FleetLabels.Revision]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task ScaleSubresource_DrivesReplicas_AndReadsTheHeadPodSelector()
    {
        await using var f = await FleetFixture.StartAsync();
        f.Put(Fleet("llama", 2));
        await Eventually.TrueAsync(() => f.Converged("llama", 2), "2 available");

        var patch = new k8s.Models.V1Patch("{\"spec\":{\"replicas\":4}}", k8s.Models.V1Patch.PatchType.MergePatch);
        await k8s.CustomObjectsOperationsExtensions.PatchNamespacedCustomObjectScaleAsync<k8s.Models.V1Scale>(f.Client.CustomObjects, patch,
            RayClusterFleet.Group, RayClusterFleet.Version, "default", RayClusterFleet.Plural, "llama");
        await Eventually.TrueAsync(() => f.Converged("llama", 4), "4 available");
        var scale = await k8s.CustomObjectsOperationsExtensions.GetNamespacedCustomObjectScaleAsync<k8s.Models.V1Scale>(f.Client.CustomObjects,
            RayClusterFleet.Group, RayClusterFleet.Version, "default", RayClusterFleet.Plural, "llama");

        Assert.Equal(4, scale.Spec.Replicas);
        Assert.Equal(4, scale.Status.Replicas);
        Assert.Equal(FleetLabels.HeadSelector("llama"), scale.Status.Selector);
    }

    [Fact]
    public async Task ScaleDown_RemovesNotReadyClustersFirst()
    {
        await using var f = await FleetFixture.StartAsync(instant: true);
        f.Put(Fleet("llama", 2));
        await Eventually.TrueAsync(() => f.Converged("llama", 2), "2 available");
        var ready = f.Clusters().Select(NameOf).ToHashSet();
        f.KubeRay.Instant = false;
        f.Edit("llama", fl => fl["spec"]!["replicas"] = 4);
        await Eventually.TrueAsync(() => f.Clusters().Count(KubeRayStandIn.IsProvisioning) == 4, "4 clusters, 2 starting");

        f.Edit("llama", fl => fl["spec"]!["replicas"] = 2);

        await Eventually.TrueAsync(() => f.Clusters().Count == 2, "back to 2");
        Assert.Equal(ready, f.Clusters().Select(NameOf).ToHashSet());
    }

    [Fact]
    public async Task MinReadySeconds_ReadyClusterCountsAsAvailableOnlyAfterIt()
    {
        await using var f = await FleetFixture.StartAsync();
        f.Put(Fleet("llama", 1, minReadySeconds: 30));
        await Eventually.TrueAsync(() => Int(f.Fleet("llama"), "status", "readyReplicas") == 1, "ready");
        Assert.Equal(0, Int(f.Fleet("llama"), "status", "availableReplicas"));

        f.Time.Advance(TimeSpan.FromSeconds(31));

        await Eventually.TrueAsync(() => Int(f.Fleet("llama"), "status", "availableReplicas") == 1, "available after 30 s");
    }

    [Fact]
    public async Task ProgressDeadline_NoClusterBecomesReady_ProgressingFalse()
    {
        await using var f = await FleetFixture.StartAsync(instant: false);
        f.Put(Fleet("llama", 1, deadline: 60));
        await Eventually.TrueAsync(() => f.Clusters().Count(KubeRayStandIn.IsProvisioning) == 1, "a starting cluster");
        await Eventually.TrueAsync(() => f.Condition("llama", FleetConditions.Progressing) == "True", "progressing");

        f.Time.Advance(TimeSpan.FromSeconds(61));

        await Eventually.TrueAsync(() => f.Condition("llama", FleetConditions.Progressing, "reason") == FleetConditions.ProgressDeadlineExceeded, "deadline exceeded");
        Assert.Equal("False", f.Condition("llama", FleetConditions.Progressing));

        await f.KubeRay.MakeReadyAsync(NameOf(f.Clusters()[0]));
        await Eventually.TrueAsync(() => f.Condition("llama", FleetConditions.Progressing, "reason") == FleetConditions.NewReplicaSetAvailable, "recovers once ready");
    }

    [Fact]
    public async Task Leadership_StoppedControllersResumeFromAFullPass()
    {
        await using var f = await FleetFixture.StartAsync();
        f.Put(Fleet("llama", 2));
        await Eventually.TrueAsync(() => f.Converged("llama", 2), "2 available");

        await f.StopAsync(); // leadership lost
        f.SetImage("llama", "v2");
        f.Edit("llama", fl => fl["spec"]!["replicas"] = 3);
        await Task.Delay(50);
        Assert.All(f.Clusters(), c => Assert.NotEqual("v2", Image(c))); // nobody acts without the lease
        f.Run();

        await Eventually.TrueAsync(() => f.Converged("llama", 3) && f.Clusters().All(c => Image(c) == "v2"), "the new leader finishes the rollout");
    }

    [Fact]
    public async Task HashCollision_WithAnotherTemplatesReplicaSet_BumpsCollisionCountAndUsesAnotherName()
    {
        await using var f = await FleetFixture.StartAsync();
        var json = Fleet("llama", 1);
        var typed = k8s.KubernetesJson.Deserialize<RayClusterFleet>(json.ToJsonString());
        string taken = $"llama-{AIBrix.Controllers.Fleets.Rollout.TemplateHash.Compute(AIBrix.Controllers.Fleets.Rollout.TemplateHash.Render(typed), 0)}";
        var squatter = Fleet(taken, 0);
        squatter["kind"] = RayClusterReplicaSet.KindName;
        f.Api.Put(Orchestration, RayClusterReplicaSet.Plural, "default", squatter); // same name, another template, not the fleet's

        f.Put(json);

        await Eventually.TrueAsync(() => f.Converged("llama", 1), "converged under another name");
        Assert.Equal(1, Int(f.Fleet("llama"), "status", "collisionCount"));
        Assert.DoesNotContain(f.Clusters(), c => NameOf(c).StartsWith(taken + "-", StringComparison.Ordinal));
    }
}
