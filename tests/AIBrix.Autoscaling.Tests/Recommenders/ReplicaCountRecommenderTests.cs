using AIBrix.Autoscaling.Decisions;
using AIBrix.Autoscaling.Observations;

namespace AIBrix.Autoscaling.Tests.Recommenders;

public sealed class ReplicaCountRecommenderTests
{
    [Theory]
    [InlineData(ScalingStrategy.Kpa)]
    [InlineData(ScalingStrategy.Apa)]
    [InlineData(ScalingStrategy.Hpa)]
    public void Decide_ExternalReplicaCount_UsedAsIsNotDividedByTarget(ScalingStrategy strategy)
    {
        // AIBrix's GPU-optimizer manifests set targetValue "100"; ceil(3 / 100) would be 1 (AIBrix #461).
        var settings = Scenario.Settings(strategy) with { Metrics = [new MetricTarget("vllm:deployment_replicas", MetricSourceType.External, 100)] };
        var s = new Scenario(settings);
        s.Autoscaler.Observe(0, MetricObservation.FromTotal(3, 2));

        var d = s.Autoscaler.Decide(new ScaleState(2, 2));

        Assert.Equal(3, d.DesiredReplicas);
        Assert.Equal(RecommendationMode.ReplicaCount, d.Mode);
        Assert.Equal(3, d.RecommendedReplicas);
    }

    [Fact]
    public void Decide_ExternalReplicaCount_RatesStillApply()
    {
        var settings = Scenario.Settings(ScalingStrategy.Kpa) with { Metrics = [new MetricTarget("vllm:deployment_replicas", MetricSourceType.External, 1)] };
        var s = new Scenario(settings);
        s.Autoscaler.Observe(0, MetricObservation.FromTotal(9, 1));

        var d = s.Autoscaler.Decide(new ScaleState(1, 1));

        Assert.Equal(2, d.DesiredReplicas); // 9 asked for; at most ceil(2 × 1) in one decision
        Assert.Equal(ScaleLimit.ScaleUpRate, d.ClampedBy);
    }

    [Theory]
    [InlineData("vllm:deployment_replicas", MetricSourceType.External, true)]
    [InlineData("desired_replicas", MetricSourceType.External, true)]
    [InlineData("num_requests_waiting", MetricSourceType.External, false)]
    [InlineData("deployment_replicas", MetricSourceType.Pod, false)] // only a whole-target value can be a count
    public void IsReplicaCount_ExternalMetricNamedReplicas(string name, MetricSourceType source, bool expected) =>
        Assert.Equal(expected, new MetricTarget(name, source, 1).IsReplicaCount);
}
