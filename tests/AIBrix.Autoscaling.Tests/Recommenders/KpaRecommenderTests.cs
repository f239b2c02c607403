using AIBrix.Autoscaling.Decisions;

namespace AIBrix.Autoscaling.Tests.Recommenders;

/// <summary>
/// KPA against hand-computed tables: target 10 per pod, stable window 180 s, panic window 60 s, a sample every 10 s,
/// cooldowns off. Window means count the samples of the last 180 (60) one-second buckets, so at t the stable window
/// holds the samples at t-170 ... t.
/// </summary>
public sealed class KpaRecommenderTests
{
    [Fact]
    public void Decide_StableLoad_CeilOfTotalOverTarget()
    {
        var s = new Scenario(Scenario.Settings(ScalingStrategy.Kpa));
        ScaleDecision d = null!;
        for (int t = 0; t <= 170; t += 10)
        {
            d = s.Tick(t, 30, current: 4, ready: 4);
        }

        Assert.Equal(3, d.DesiredReplicas); // ceil(30 / 10); down-rate floor 4 / 2 = 2 does not bind
        Assert.Equal(RecommendationMode.Stable, d.Mode);
        Assert.Equal(30, d.Metrics[0].Value, 9);
        Assert.Empty(d.Limits);
    }

    [Fact]
    public void Decide_TotalIsSumOverReadyPods_NotThePerPodMean()
    {
        var s = new Scenario(Scenario.Settings(ScalingStrategy.Kpa));
        var d = s.TickPods(0, perPod: 7, current: 5, ready: 5);

        Assert.Equal(4, d.DesiredReplicas); // ceil(5 × 7 / 10) = ceil(3.5); a per-pod mean taken as the total would give 1
    }

    [Fact]
    public void Decide_BurstThenCalm_EntersPanicHoldsItForAStableWindowThenLeaves()
    {
        var s = new Scenario(Scenario.Settings(ScalingStrategy.Kpa));
        var decisions = new Dictionary<int, ScaleDecision>();
        for (int t = 0; t <= 400; t += 10)
        {
            double total = t == 180 ? 400 : 30;
            (int current, int ready) = t switch
            {
                <= 180 => (4, 4),
                190 => (8, 4), // scaled to 8, four pods still starting
                200 => (8, 8),
                _ => (10, 10),
            };
            decisions[t] = s.Tick(t, total, current, ready);
        }

        // t=170: stable 30 → 3; no panic (3 / 4 < 2).
        Assert.Equal((3, RecommendationMode.Stable), (decisions[170].DesiredReplicas, decisions[170].Mode));

        // t=180: stable (17×30+400)/18 = 50.6 → 6; panic (5×30+400)/6 = 91.7 → 10; 10/4 = 2.5 ≥ 2 → panic;
        // max(6, 10) = 10, capped at ceil(2 × 4) = 8.
        var entry = decisions[180];
        Assert.Equal((8, RecommendationMode.Panic), (entry.DesiredReplicas, entry.Mode));
        Assert.Equal(new LimitStep(ScaleLimit.ScaleUpRate, 10, 8, "load"), Assert.Single(entry.Limits));
        Assert.Equal(ScaleLimit.ScaleUpRate, entry.ClampedBy);
        Assert.Equal(91.667, entry.Metrics[0].PanicValue, 3);

        // t=190: still over (10 / 4 ready); the growth limit is never below the 8 already asked for.
        Assert.Equal((8, RecommendationMode.Panic), (decisions[190].DesiredReplicas, decisions[190].Mode));

        // t=200: under the threshold (10 / 8) but in panic: max(stable 6, panic 10) = 10 becomes the panic high-water mark.
        Assert.Equal(10, decisions[200].DesiredReplicas);

        // t=240: the burst left the panic window (3) but not the stable one (6): no scale-down in panic.
        Assert.Equal(new LimitStep(ScaleLimit.PanicNoScaleDown, 6, 10, "load"), Assert.Single(decisions[240].Limits));
        Assert.Equal(10, decisions[240].DesiredReplicas);

        // Last over the threshold at t=190: panic lasts while 190 + 180 ≥ t.
        Assert.Equal((10, RecommendationMode.Panic), (decisions[370].DesiredReplicas, decisions[370].Mode));

        // t=380: out of panic; stable 30 → 3, but at most halving the 10 ready pods: 5.
        var exit = decisions[380];
        Assert.Equal((5, RecommendationMode.Stable), (exit.DesiredReplicas, exit.Mode));
        Assert.Equal(new LimitStep(ScaleLimit.ScaleDownRate, 3, 5), Assert.Single(exit.Limits)); // on the decision, after the cooldown
    }

    [Fact]
    public void Decide_CreatedWithSeveralReadyPods_StartsInPanicAndHoldsThemForAStableWindow()
    {
        var s = new Scenario(Scenario.Settings(ScalingStrategy.Kpa), readyPodsAtStart: 6);

        var early = s.Tick(100, 10, current: 6, ready: 6);
        var late = s.Tick(190, 10, current: 6, ready: 6);

        Assert.Equal((6, RecommendationMode.Panic), (early.DesiredReplicas, early.Mode)); // a fresh autoscaler knows too little to shrink
        Assert.Equal((3, RecommendationMode.Stable), (late.DesiredReplicas, late.Mode)); // 190 > 0 + 180: out; ceil(10/10) = 1, at least 6/2 = 3
    }

    [Fact]
    public void Decide_FromZeroWithActivationScale_ActivationAppliesAfterTheRateLimit()
    {
        var settings = Scenario.Settings(ScalingStrategy.Kpa, min: 0) with { ScaleToZero = true, ActivationScale = 3 };
        var s = new Scenario(settings);

        var d = s.Tick(0, 12, current: 0, ready: 0);

        // ceil(12 / 10) = 2 ≤ ceil(2 × max(1, 0)) = 2; then raised to the activation scale 3.
        Assert.Equal(3, d.DesiredReplicas);
        Assert.Equal(new LimitStep(ScaleLimit.ActivationScale, 2, 3, "load"), Assert.Single(d.Limits));
    }

    [Theory]
    [InlineData(2.0, 100, 8)] // raw 10, capped at ceil(2 × 4)
    [InlineData(3.0, 100, 10)] // ceil(3 × 4) = 12 does not bind
    [InlineData(1.5, 100, 6)]
    public void Decide_MaxScaleUpRate_CapsGrowthPerDecision(double rate, double total, int expected)
    {
        var s = new Scenario(Scenario.Settings(ScalingStrategy.Kpa) with { MaxScaleUpRate = rate, PanicThreshold = 10 });
        Assert.Equal(expected, s.Tick(0, total, current: 4, ready: 4).DesiredReplicas);
    }

    [Theory]
    [InlineData(2.0, 5)] // floor(10 / 2)
    [InlineData(4.0, 2)] // floor(10 / 4); ceil(10 / 10) = 1 is below
    [InlineData(10.0, 1)]
    public void Decide_MaxScaleDownRate_CapsShrinkPerDecision(double rate, int expected)
    {
        var s = new Scenario(Scenario.Settings(ScalingStrategy.Kpa) with { MaxScaleDownRate = rate });
        Assert.Equal(expected, s.Tick(0, 10, current: 10, ready: 10).DesiredReplicas);
    }
}
