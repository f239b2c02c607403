using AIBrix.Autoscaling.Decisions;
using AIBrix.Autoscaling.Observations;

namespace AIBrix.Autoscaling.Tests;

/// <summary>
/// A load step in closed loop: 3 pods at the target (10 each, total 30) for 200 s, then the total jumps; a sample
/// and a decision every 10 s, each decision applied at once (pods ready instantly) and the load spread over them.
/// Default settings except the scale-down cooldown, which does not matter on the way up.
/// </summary>
public sealed class LoadStepTests
{
    private static List<int> Run(ScalingStrategy strategy, double stepTotal, bool apply = true, int seconds = 60)
    {
        var s = new Scenario(Scenario.Settings(strategy) with { ScaleDownCooldown = TimeSpan.FromSeconds(300) });
        int replicas = 3;
        var after = new List<int>();
        for (int t = 0; t <= 200 + seconds; t += 10)
        {
            s.At(t);
            s.Autoscaler.Observe(0, MetricObservation.FromPods(t < 200 ? 30 : stepTotal, replicas, replicas));
            int desired = s.Autoscaler.Decide(new ScaleState(replicas, replicas)).DesiredReplicas;
            replicas = apply ? desired : replicas;
            if (t >= 200)
            {
                after.Add(desired);
            }
        }

        return after;
    }

    /// <summary>The table of docs/autoscaling.md ("Reaction to a load step"): the count it settles at and when.</summary>
    [Theory]
    [InlineData(ScalingStrategy.Hpa, 60, 6, 0)]
    [InlineData(ScalingStrategy.Hpa, 120, 12, 20)]
    [InlineData(ScalingStrategy.Kpa, 60, 6, 120)] // no panic: the ready pods grow with the load
    [InlineData(ScalingStrategy.Kpa, 120, 12, 50)]
    [InlineData(ScalingStrategy.Apa, 60, 6, 50)]
    [InlineData(ScalingStrategy.Apa, 120, 11, 40)] // 120 / 11 pods = 10.9, within 10 % of the target
    public void Step_SettlesAtCountAfterSeconds(ScalingStrategy strategy, double stepTotal, int settles, int seconds)
    {
        var counts = Run(strategy, stepTotal, seconds: 300);
        int first = counts.IndexOf(settles);

        Assert.Equal(seconds, first * 10);
        Assert.All(counts.Skip(first), c => Assert.Equal(settles, c)); // and stays there for 5 minutes
    }

    [Fact]
    public void Hpa_StepTo4x_PoliciesAllowPlus4ThenDoubling()
    {
        // 0 s: 40 per pod → 12, at most 3 + 4 = 7. 10 s: the period began at 3: still 7. 20 s: from 7, max(11, 14) ≥ 12.
        Assert.Equal([7, 7, 12, 12, 12, 12, 12], Run(ScalingStrategy.Hpa, 120));
    }

    [Fact]
    public void Kpa_StepTo4x_PanicsOnceThePanicWindowMeanDoublesTheReadyPods()
    {
        // 0 s: stable (17×30+120)/18 = 35 → 4; panic (5×30+120)/6 = 45 → 5 < 2 × 3. 10 s: panic 60 → 6 < 2 × 4.
        // 20 s: panic (3×30+360)/6 = 75 → 8 ≥ 2 × 4: panic, max(stable 5, 8) = 8 = 2 × 4 ready.
        Assert.Equal([4, 4, 8, 9, 11, 12, 12], Run(ScalingStrategy.Kpa, 120));
    }

    [Fact]
    public void Apa_StepTo2x_TotalOverTheWindowNotPerPodMeansCompounded()
    {
        // 0 s: mean total (5×30+60)/6 = 35 over 3 pods = 11.7 > 11 → ceil(35/10) = 4. 10 s: 40 / 4 = 10, within.
        // 20 s: 45 / 4 = 11.25 → 5. 30 s: 50 / 5 = 10. 40 s: 55 / 5 = 11, not above 11. 50 s: 60 / 5 = 12 → 6.
        Assert.Equal([4, 4, 5, 5, 5, 6, 6], Run(ScalingStrategy.Apa, 60));
    }

    [Fact]
    public void Hpa_ScaleWriteKeepsFailing_AsksForTheSameCountInsteadOfFlapping()
    {
        // The target stays at 3: no change was made, so each period starts at 3 and allows up to 7.
        Assert.Equal([6, 6, 6, 6, 6, 6, 6], Run(ScalingStrategy.Hpa, 60, apply: false));
    }
}
