using static AIBrix.GpuOptimizer.Tests.TestProfiles;

namespace AIBrix.GpuOptimizer.Tests.Serving;

public sealed class ModelOptimizerTests
{
    private static ModelOptimizer Create()
    {
        var optimizer = new ModelOptimizer("llama", new GpuAllocator(new MelangeSolver(new SolverOptions()), new HysteresisOptions()));
        optimizer.SetDeployment(new DeploymentState("ns", "a10", 3));
        optimizer.SetDeployment(new DeploymentState("ns", "l20", 2));
        return optimizer;
    }

    [Fact]
    public void Update_NoTraces_KeepsCurrentCountsAndSaysWhy()
    {
        var optimizer = Create();
        optimizer.SetProfiles([Small, Large]);

        var decision = optimizer.Update(load: null);

        Assert.Equal(3, decision.Replicas["ns/a10"]);
        Assert.Equal(2, decision.Replicas["ns/l20"]);
        Assert.Contains("no request traces in the window", decision.Reason, StringComparison.Ordinal);
        Assert.Equal(3, optimizer.Suggested("ns", "a10"));
    }

    [Fact]
    public void Update_NoProfiles_KeepsCurrentCounts()
    {
        var decision = Create().Update(TestProfiles.Load(ShortLong, 8, 1));

        Assert.Equal((3, 2), (decision.Replicas["ns/a10"], decision.Replicas["ns/l20"]));
        Assert.StartsWith("no profile for any deployment of llama (aibrix:profile_llama_<deployment>)", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_Load_SuggestsTheOptimumPerDeployment()
    {
        var optimizer = Create();
        optimizer.SetProfiles([Small, Large]);

        // 8 req/s short: 2 A10 (cost 2) beat 2 L20 (cost 4); 1 req/s long: 1 L20 only.
        var decision = optimizer.Update(TestProfiles.Load(ShortLong, 8, 1));

        Assert.Equal(2, optimizer.Suggested("ns", "a10"));
        Assert.Equal(1, optimizer.Suggested("ns", "l20"));
        Assert.True(decision.Changed);
        Assert.Null(optimizer.Suggested("other", "a10"));
    }

    [Fact]
    public void Update_MinReplicasLabel_IsAFloor()
    {
        var optimizer = Create();
        optimizer.SetDeployment(new DeploymentState("ns", "l20", 2, MinReplicas: 2));
        optimizer.SetProfiles([Small, Large]);

        optimizer.Update(TestProfiles.Load(ShortLong, 8, 1));

        Assert.Equal(2, optimizer.Suggested("ns", "l20"));
    }

    [Fact]
    public void Update_OverrideAndMonitoringOff_OverrideWinsMonitoringOffKeepsOwnCounts()
    {
        var optimizer = Create();
        optimizer.SetProfiles([Small, Large]);
        Assert.True(optimizer.Override("ns", "l20", 5));
        Assert.False(optimizer.Override("ns", "h100", 1));

        var pinned = optimizer.Update(TestProfiles.Load(ShortLong, 8, 1));
        Assert.Equal(5, pinned.Replicas["ns/l20"]);
        Assert.Equal(2, pinned.Replicas["ns/a10"]);
        Assert.EndsWith("1 manual override(s) applied", pinned.Reason, StringComparison.Ordinal);

        optimizer.Override("ns", "l20", null);
        optimizer.Monitoring = false;
        var off = optimizer.Update(TestProfiles.Load(ShortLong, 8, 1));
        Assert.Equal((3, 2), (off.Replicas["ns/a10"], off.Replicas["ns/l20"]));
        Assert.StartsWith("monitoring is off", off.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void PrometheusText_AIBrixGauge()
    {
        Assert.Equal(
            "# HELP vllm:deployment_replicas Number of suggested replicas.\n# TYPE vllm:deployment_replicas gauge\nvllm:deployment_replicas{model_name=\"llama\"} 4\n",
            ModelOptimizer.PrometheusText("llama", 4).ReplaceLineEndings("\n"));
    }
}
