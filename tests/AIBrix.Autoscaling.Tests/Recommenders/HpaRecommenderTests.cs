using AIBrix.Autoscaling.Decisions;
using AIBrix.Autoscaling.Observations;

namespace AIBrix.Autoscaling.Tests.Recommenders;

/// <summary>HPA's replica calculation against hand-computed tables (target 10, tolerance 0.1), cooldowns off.</summary>
public sealed class HpaRecommenderTests
{
    [Theory]
    [InlineData(4, 4, 15.0, 6)] // ratio 1.5: ceil(1.5 × 4)
    [InlineData(4, 4, 10.5, 4)] // within 0.1
    [InlineData(4, 4, 5.0, 2)] // ceil(0.5 × 4)
    [InlineData(6, 4, 15.0, 6)] // 2 pods without metrics count as idle: 60 / (10 × 6) = 1.0 → within → current
    [InlineData(6, 4, 20.0, 8)] // 80 / 60 = 1.33: ceil(1.33 × 6)
    [InlineData(6, 4, 5.0, 4)] // scale-down: missing pods at target: (20 + 20) / 60 = 0.67 → ceil(0.67 × 6)
    [InlineData(6, 4, 8.5, 6)] // (34 + 20) / 60 = 0.9 → within → current
    [InlineData(6, 4, 10.0, 6)] // at the target: missing pods change nothing
    public void Decide_PodMetric_KubernetesReplicaCalculation(int current, int sampled, double mean, int expected)
    {
        var s = new Scenario(Scenario.Settings(ScalingStrategy.Hpa) with { MaxReplicas = 100 });
        s.Autoscaler.Observe(0, MetricObservation.FromPods(mean * sampled, sampled, sampled));

        var d = s.Autoscaler.Decide(new ScaleState(current, sampled));

        Assert.Equal(expected, d.DesiredReplicas);
    }

    [Theory]
    [InlineData(4, 45.0, 5)] // 45 / (10 × 4) = 1.125 beyond 0.1: ceil(45 / 10)
    [InlineData(4, 42.0, 4)] // 1.05: within
    [InlineData(0, 3.0, 1)] // from zero: ceil(3 / 10)
    public void Decide_WholeTargetValue_AverageValueRule(int current, double total, int expected)
    {
        var settings = Scenario.Settings(ScalingStrategy.Hpa, min: 0) with
        {
            ScaleToZero = true,
            Metrics = [new MetricTarget("queue", MetricSourceType.External, 10)],
        };
        var s = new Scenario(settings);
        s.Autoscaler.Observe(0, MetricObservation.FromTotal(total, current));

        Assert.Equal(expected, s.Autoscaler.Decide(new ScaleState(current, current)).DesiredReplicas);
    }
}
