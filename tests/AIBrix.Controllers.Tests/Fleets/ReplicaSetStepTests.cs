using System.Text.Json.Nodes;
using AIBrix.Controllers.Fleets.ReplicaSets;
using AIBrix.Controllers.Fleets.Rollout;
using AIBrix.Kubernetes.Crds;
using k8s.Models;

namespace AIBrix.Controllers.Tests.Fleets;

/// <summary>The replica set's pure steps (readiness, scale-down order, grace) and the template hash and revisions.</summary>
public sealed class ReplicaSetStepTests
{
    private static readonly DateTime Now = new(2026, 12, 2, 0, 10, 0, DateTimeKind.Utc);

    private static RayCluster Cluster(string name, bool provisioned, bool head, int desired = 1, int ready = 1, DateTime? since = null, DateTime? created = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Uid = name, CreationTimestamp = created ?? Now.AddMinutes(-9) },
        Status = new RayClusterStatus
        {
            DesiredWorkerReplicas = desired,
            ReadyWorkerReplicas = ready,
            Conditions =
            [
                new V1Condition { Type = RayCluster.ProvisionedCondition, Status = provisioned ? "True" : "False", LastTransitionTime = since ?? Now.AddMinutes(-5) },
                new V1Condition { Type = RayCluster.HeadPodReadyCondition, Status = head ? "True" : "False", LastTransitionTime = since ?? Now.AddMinutes(-5) },
            ],
        },
    };

    [Theory]
    [InlineData(true, true, 2, 2, true, false)]
    [InlineData(true, true, 2, 1, false, true)] // a worker is down: broken
    [InlineData(true, false, 2, 2, false, true)] // the head is down: broken
    [InlineData(false, false, 2, 0, false, false)] // still starting: not broken
    [InlineData(false, true, 2, 2, false, false)] // never provisioned
    public void Classify_ReadyNeedsProvisionedHeadAndEveryWorker(bool provisioned, bool head, int desired, int ready, bool isReady, bool broken)
    {
        var state = ClusterReadiness.Classify(Cluster("a", provisioned, head, desired, ready), 0, Now);

        Assert.Equal((isReady, broken), (state.Ready, state.Broken));
    }

    [Fact]
    public void Classify_MinReadySeconds_AvailableOnlyAfter()
    {
        var cluster = Cluster("a", true, true, since: Now.AddSeconds(-10));

        Assert.False(ClusterReadiness.Classify(cluster, 30, Now).Available);
        Assert.True(ClusterReadiness.Classify(cluster, 30, Now.AddSeconds(20)).Available);
        Assert.Equal(Now.AddSeconds(20), ClusterReadiness.AvailableAt(ClusterReadiness.Classify(cluster, 30, Now), 30));
    }

    [Fact]
    public void ScaleDownOrder_NotReadyFirst_ThenMostRecentlyReady_ThenYoungest()
    {
        var states = new[]
        {
            ClusterReadiness.Classify(Cluster("old-ready", true, true, since: Now.AddMinutes(-8)), 0, Now),
            ClusterReadiness.Classify(Cluster("new-ready", true, true, since: Now.AddMinutes(-1)), 0, Now),
            ClusterReadiness.Classify(Cluster("starting-old", false, false, ready: 0, created: Now.AddMinutes(-3)), 0, Now),
            ClusterReadiness.Classify(Cluster("starting-young", false, false, ready: 0, created: Now.AddMinutes(-1)), 0, Now),
        };

        Assert.Equal(["starting-young", "starting-old", "new-ready"], ScaleDownOrder.Pick(states, 3).Select(s => s.Name));
    }

    [Fact]
    public void UnreadyClusters_DueOnlyAfterTheGracePeriod_AndForgetHealed()
    {
        var tracker = new UnreadyClusters();
        var broken = new[] { ClusterReadiness.Classify(Cluster("a", true, false), 0, Now) };

        Assert.Empty(tracker.Check(broken, Now, TimeSpan.FromMinutes(2)).Overdue);
        Assert.Equal(Now.AddMinutes(2), tracker.Check(broken, Now.AddMinutes(1), TimeSpan.FromMinutes(2)).NextDue);
        Assert.Single(tracker.Check(broken, Now.AddMinutes(2), TimeSpan.FromMinutes(2)).Overdue);

        tracker.Check([ClusterReadiness.Classify(Cluster("a", true, true), 0, Now)], Now.AddMinutes(3), TimeSpan.FromMinutes(2)); // healed
        Assert.Empty(tracker.Check(broken, Now.AddMinutes(4), TimeSpan.FromMinutes(2)).Overdue); // a new grace period
    }

    private static RayClusterFleet Fleet(string image, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "llama", Labels = labels },
        Spec = new RayClusterFleetSpec
        {
            Template = new RayClusterTemplate
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "llama", [ModelLabels.Name] = "llama-70b" } },
                Spec = new JsonObject { ["headGroupSpec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject { ["image"] = image } } } },
            },
        },
    };

    [Fact]
    public void TemplateHash_StableForEqualTemplates_DiffersByTemplateAndCollisionCount()
    {
        string a = TemplateHash.Compute(TemplateHash.Render(Fleet("v1")), 0);

        Assert.Equal(a, TemplateHash.Compute(TemplateHash.Render(Fleet("v1")), 0));
        Assert.NotEqual(a, TemplateHash.Compute(TemplateHash.Render(Fleet("v2")), 0));
        Assert.NotEqual(a, TemplateHash.Compute(TemplateHash.Render(Fleet("v1")), 1));
        Assert.Matches("^[bcdfghjklmnpqrstvwxz2456789]+$", a);
    }

    [Fact]
    public void TemplateHash_HeadPodsGetFleetAndModelLabels_AndTheSetTemplateMatchesBack()
    {
        var rendered = TemplateHash.Render(Fleet("v1"));
        var withHash = TemplateHash.WithHash(rendered, "abc");

        var head = rendered["spec"]!["headGroupSpec"]!["template"]!["metadata"]!["labels"]!;
        Assert.Equal("llama", head[FleetLabels.FleetName]!.GetValue<string>());
        Assert.Equal("llama-70b", head[ModelLabels.Name]!.GetValue<string>());
        Assert.Equal("abc", withHash.Metadata!.Labels![FleetLabels.TemplateHash]);
        Assert.True(TemplateHash.SameTemplate(withHash, rendered));
        Assert.False(TemplateHash.SameTemplate(withHash, TemplateHash.Render(Fleet("v2"))));
    }

    private static RayClusterReplicaSet Set(string name, long revision, int spec, int actual)
    {
        var set = new RayClusterReplicaSet { Metadata = new V1ObjectMeta { Name = name }, Spec = new RayClusterReplicaSetSpec { Replicas = spec }, Status = new RayClusterReplicaSetStatus { Replicas = actual } };
        Revisions.Set(set, revision);
        return set;
    }

    [Fact]
    public void Revisions_PruneIdleOldestBeyondTheLimit_AndFindRollbackTargets()
    {
        var sets = new[] { Set("r1", 1, 0, 0), Set("r2", 2, 0, 0), Set("r3", 3, 1, 1), Set("r4", 4, 0, 1) };

        Assert.Equal(["r1"], Revisions.Prune(sets, 1).Select(s => s.Metadata.Name)); // r3 runs, r4 still has a cluster
        Assert.Empty(Revisions.Prune(sets, 10));
        Assert.Equal("r2", Revisions.RollbackTarget(sets, 3, 0)!.Metadata.Name); // previous below the current
        Assert.Equal("r1", Revisions.RollbackTarget(sets, 3, 1)!.Metadata.Name);
        Assert.Null(Revisions.RollbackTarget(sets, 3, 9));
    }
}
