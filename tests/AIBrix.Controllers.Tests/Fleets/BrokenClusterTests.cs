using AIBrix.Controllers.Tests.Infrastructure;
using AIBrix.Kubernetes.Crds;
using static AIBrix.Controllers.Tests.Infrastructure.FleetFixture;

namespace AIBrix.Controllers.Tests.Fleets;

/// <summary>A cluster that breaks: kept through the grace period, then deleted before its replacement exists.</summary>
public sealed class BrokenClusterTests
{
    [Fact]
    public async Task BrokenCluster_WithinGrace_IsKeptAndMayHeal()
    {
        await using var f = await FleetFixture.StartAsync(grace: TimeSpan.FromMinutes(2));
        f.Put(Fleet("llama", 2));
        await Eventually.TrueAsync(() => f.Converged("llama", 2), "2 available");
        var names = f.Clusters().Select(NameOf).ToHashSet();
        string victim = names.Order(StringComparer.Ordinal).First();

        await f.KubeRay.BreakAsync(victim);
        await Eventually.TrueAsync(() => Int(f.Fleet("llama"), "status", "readyReplicas") == 1, "1 ready");
        f.Time.Advance(TimeSpan.FromSeconds(60));
        await f.KubeRay.MakeReadyAsync(victim); // KubeRay restarted the head: healed within the grace period
        await Eventually.TrueAsync(() => f.Converged("llama", 2), "2 available again");
        f.Time.Advance(TimeSpan.FromSeconds(90));

        await Eventually.TrueAsync(() => f.Sets.QueueDepth == 0, "queue drained");
        Assert.Equal(names, f.Clusters().Select(NameOf).ToHashSet()); // one dead head never rebuilt anything
    }

    [Fact]
    public async Task BrokenCluster_PastGrace_IsDeletedBeforeItsReplacementExists()
    {
        await using var f = await FleetFixture.StartAsync(grace: TimeSpan.FromMinutes(2));
        f.Put(Fleet("llama", 2));
        await Eventually.TrueAsync(() => f.Converged("llama", 2), "2 available");
        string victim = f.Clusters().Select(NameOf).Order(StringComparer.Ordinal).First();
        await using var sampler = new ClusterSampler(f.Clusters);

        await f.KubeRay.BreakAsync(victim);
        await Eventually.TrueAsync(() => Int(f.Fleet("llama"), "status", "readyReplicas") == 1, "1 ready");
        f.Time.Advance(TimeSpan.FromMinutes(2)); // the grace period, to the tick

        await Eventually.TrueAsync(() => f.Converged("llama", 2) && f.Clusters().All(c => NameOf(c) != victim), "replaced");
        Assert.True(sampler.MaxTotal <= 2, $"{sampler.MaxTotal} clusters at once: the replacement stood beside the broken one");
    }

    private static int NewSetReady(FleetFixture f) =>
        f.ReplicaSets().Where(s => s["spec"]!["template"]!["spec"]!["headGroupSpec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>() == "v2")
            .Sum(s => Int(s, "status", "readyReplicas"));

    [Fact]
    public async Task ClusterFailingMidRollout_IsReplacedWithinTheBounds()
    {
        await using var f = await FleetFixture.StartAsync(instant: true, grace: TimeSpan.FromSeconds(30));
        f.Put(Fleet("llama", 4, strategy: Rolling(1, 1)));
        await Eventually.TrueAsync(() => f.Converged("llama", 4), "4 available");
        f.KubeRay.Instant = false;
        await using var sampler = new ClusterSampler(f.Clusters);

        f.SetImage("llama", "v2");
        await Eventually.TrueAsync(() => f.Clusters().Any(c => Image(c) == "v2" && KubeRayStandIn.IsProvisioning(c)), "the first new cluster");
        var first = f.Clusters().First(c => Image(c) == "v2");
        await f.KubeRay.MakeReadyAsync(NameOf(first));
        await Eventually.TrueAsync(() => NewSetReady(f) >= 1, "the new cluster ready");
        await f.KubeRay.BreakAsync(NameOf(first)); // its node dies mid-rollout
        await Eventually.TrueAsync(() => NewSetReady(f) == 0, "the replica set saw it break");
        f.Time.Advance(TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => f.Clusters().All(c => NameOf(c) != NameOf(first)), "the broken new cluster is gone");

        for (int i = 0; i < 50 && !(f.Converged("llama", 4) && f.Clusters().All(c => Image(c) == "v2")); i++)
        {
            await Eventually.TrueAsync(() => f.Converged("llama", 4) || f.Clusters().Any(c => KubeRayStandIn.IsProvisioning(c) && !KubeRayStandIn.IsReady(c)), "progress");
            if (f.Clusters().FirstOrDefault(c => KubeRayStandIn.IsProvisioning(c) && !KubeRayStandIn.IsReady(c)) is { } next)
            {
                await f.KubeRay.MakeReadyAsync(NameOf(next));
            }
        }

        Assert.True(f.Converged("llama", 4) && f.Clusters().All(c => Image(c) == "v2"), "the rollout finished");
        Assert.True(sampler.MaxTotal <= 5, $"{sampler.MaxTotal} clusters at once");
        Assert.True(sampler.MinReady >= 2, $"{sampler.MinReady} ready"); // 4 - 1 unavailable - 1 broken
    }
}
