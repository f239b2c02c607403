using AIBrix.Autoscaling.Decisions;

namespace AIBrix.Autoscaling.Tests.Recommenders;

/// <summary>APA against hand-computed tables: target 10 per pod, tolerances 0.1, rates 2, cooldowns off.</summary>
public sealed class ApaRecommenderTests
{
    [Theory]
    [InlineData(10.5, 4, 4, RecommendationMode.WithinTolerance)] // ratio 1.05
    [InlineData(11.0, 4, 4, RecommendationMode.WithinTolerance)] // ratio 1.1 is not above 1 + 0.1
    [InlineData(11.5, 4, 5, RecommendationMode.ScaleUp)] // ceil(4 × 1.15) = ceil(4.6)
    [InlineData(9.0, 4, 4, RecommendationMode.WithinTolerance)] // ratio 0.9 is not below 1 − 0.1
    [InlineData(7.0, 4, 3, RecommendationMode.ScaleDown)] // ceil(4 × 0.7) = ceil(2.8)
    [InlineData(30.0, 4, 8, RecommendationMode.ScaleUp)] // ceil(4 × 3) = 12, capped at 2 × 4
    [InlineData(1.0, 4, 2, RecommendationMode.ScaleDown)] // ceil(4 × 0.1) = 1, at least 4 / 2
    public void Decide_PerPodMeanAgainstTarget_ScalesOutsideTheToleranceBand(double perPod, int pods, int expected, RecommendationMode mode)
    {
        var s = new Scenario(Scenario.Settings(ScalingStrategy.Apa));
        var d = s.TickPods(0, perPod, current: pods, ready: pods);

        Assert.Equal(expected, d.DesiredReplicas);
        Assert.Equal(mode, d.Mode);
    }

    [Theory]
    [InlineData(0.3, 0.1, 13.5, 6)] // 1.35 > 1.3: ceil(4 × 1.35) = ceil(5.4)
    [InlineData(0.5, 0.1, 13.5, 4)] // 1.35 within 1.5
    [InlineData(0.1, 0.5, 6.0, 4)] // 0.6 is not below 1 − 0.5
    [InlineData(0.1, 0.3, 6.0, 3)] // 0.6 < 0.7: ceil(4 × 0.6) = ceil(2.4)
    public void Decide_Tolerances_SetTheBand(double up, double down, double perPod, int expected)
    {
        var settings = Scenario.Settings(ScalingStrategy.Apa) with { ScaleUpTolerance = up, ScaleDownTolerance = down };
        var d = new Scenario(settings).TickPods(0, perPod, current: 4, ready: 4);

        Assert.Equal(expected, d.DesiredReplicas);
    }

    [Fact]
    public void Decide_PodsStillStarting_AScaleUpSignalNeverShrinksTheFleet()
    {
        var s = new Scenario(Scenario.Settings(ScalingStrategy.Apa));

        // 2 ready of 6 asked for, each at 15: ceil(2 × 1.5) = 3 pods would carry the load, but the signal says "up".
        var d = s.TickPods(0, 15, current: 6, ready: 2);

        Assert.Equal(6, d.DesiredReplicas);
        Assert.Equal(new LimitStep(ScaleLimit.PodsStarting, 3, 6, "load"), Assert.Single(d.Limits));
    }

    [Fact]
    public void Decide_WindowMean_OldSampleLeavesAfterTheApaWindow()
    {
        var s = new Scenario(Scenario.Settings(ScalingStrategy.Apa));
        var decisions = new Dictionary<int, ScaleDecision>();
        for (int t = 0; t <= 60; t += 10)
        {
            decisions[t] = s.TickPods(t, t == 0 ? 50 : 10, current: 4, ready: 4);
        }

        Assert.Equal(100.0 / 6, decisions[50].Metrics[0].Value, 9); // (50 + 5 × 10) / 6
        Assert.Equal(7, decisions[50].DesiredReplicas); // ceil(4 × 1.667) = ceil(6.67)
        Assert.Equal(RecommendationMode.WithinTolerance, decisions[60].Mode); // the 50 at t=0 is 60 s old: out
        Assert.Equal(4, decisions[60].DesiredReplicas);
    }
}
