using AIBrix.Autoscaling.Decisions;
using AIBrix.Autoscaling.Observations;

namespace AIBrix.Autoscaling.Tests.Stabilisation;

/// <summary>HPA's default behaviour through the autoscaler: target 10, tolerance 0.1, one pod per sample.</summary>
public sealed class HpaRateLimiterTests
{
    private static ScaleDecision Decide(Scenario s, double t, int pods, double mean)
    {
        s.At(t);
        s.Autoscaler.Observe(0, MetricObservation.FromPods(mean * pods, pods, pods));
        return s.Autoscaler.Decide(new ScaleState(pods, pods));
    }

    [Fact]
    public void Decide_DefaultScaleUpPolicy_MaxOfFourPodsAndDoublingPerFifteenSeconds()
    {
        var s = new Scenario(Scenario.Settings(ScalingStrategy.Hpa, max: 50));

        var first = Decide(s, 0, 1, 100); // wants ceil(10 × 1) = 10; 1 + 4 = 5 beats 1 × 2 = 2
        var second = Decide(s, 10, 5, 100); // wants 50; the period started at 5 − 4 = 1 pod: still at most 5
        var third = Decide(s, 20, 5, 100); // the t=0 event is 20 s old: from 5, max(5 + 4, 10) = 10

        Assert.Equal((5, ScaleLimit.ScaleUpPolicy), (first.DesiredReplicas, first.ClampedBy));
        Assert.Equal((5, ScaleLimit.ScaleUpPolicy), (second.DesiredReplicas, second.ClampedBy));
        Assert.Equal((10, ScaleLimit.ScaleUpPolicy), (third.DesiredReplicas, third.ClampedBy));
    }

    [Fact]
    public void Decide_DefaultScaleDownPolicy_AllowsDroppingEverythingOnceStabilised()
    {
        var s = new Scenario(Scenario.Settings(ScalingStrategy.Hpa));

        var d = Decide(s, 0, 10, 1); // ceil(0.1 × 10) = 1; 100 % per 15 s allows it

        Assert.Equal((1, ScaleLimit.None), (d.DesiredReplicas, d.ClampedBy));
    }

    [Fact]
    public void Decide_ExplicitRates_BecomePercentPolicies()
    {
        var settings = Scenario.Settings(ScalingStrategy.Hpa, max: 50) with { MaxScaleUpRate = 1.5, MaxScaleDownRate = 2 };
        var s = new Scenario(settings);

        var up = Decide(s, 0, 4, 100); // 50 % per 15 s: ceil(4 × 1.5) = 6
        var down = Decide(s, 100, 10, 1); // 50 % per 15 s: 10 × 0.5 = 5

        Assert.Equal((6, ScaleLimit.ScaleUpPolicy), (up.DesiredReplicas, up.ClampedBy));
        Assert.Equal((5, ScaleLimit.ScaleDownPolicy), (down.DesiredReplicas, down.ClampedBy));
    }

    [Fact]
    public void Decide_DefaultStabilisation_ScaleDownWaitsFiveMinutes()
    {
        var s = new Scenario(Scenario.Settings(ScalingStrategy.Hpa) with { ScaleDownCooldown = TimeSpan.FromSeconds(300) });
        var results = new Dictionary<int, int>();
        for (int t = 0; t <= 310; t += 10)
        {
            results[t] = Decide(s, t, 10, t < 10 ? 10 : 1).DesiredReplicas;
        }

        Assert.Equal(10, results[290]); // the 10 recommended at t=0 is after 290 − 300
        Assert.Equal(1, results[300]); // (0, 300] holds only 1s
    }
}
