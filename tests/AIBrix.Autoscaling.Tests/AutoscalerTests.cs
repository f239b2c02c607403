using AIBrix.Autoscaling.Decisions;
using AIBrix.Autoscaling.Observations;
using AIBrix.Autoscaling.Schedules;

namespace AIBrix.Autoscaling.Tests;

public sealed class AutoscalerTests
{
    [Fact]
    public void Decide_ScaleToZeroEnabled_OnlyAfterAWholeStableWindowOfNoLoad()
    {
        var s = new Scenario(Scenario.Settings(ScalingStrategy.Kpa, min: 0) with { ScaleToZero = true });
        var decisions = new Dictionary<int, ScaleDecision>();
        for (int t = 0; t <= 240; t += 10)
        {
            decisions[t] = s.Tick(t, t == 50 ? 5 : 0, current: 1, ready: 1);
        }

        Assert.Equal(new LimitStep(ScaleLimit.ScaleToZeroWait, 0, 1), Assert.Single(decisions[40].Limits)); // no load yet, but watched 40 s only
        Assert.Equal(1, decisions[220].DesiredReplicas); // 5 / 18 samples → ceil(0.28) = 1
        Assert.Equal(0, decisions[230].DesiredReplicas); // the t=50 sample left the window; 180 s of zeros
    }

    [Fact]
    public void Decide_ScaleToZeroDisabled_MinZeroStillKeepsOne()
    {
        var s = new Scenario(Scenario.Settings(ScalingStrategy.Kpa, min: 0));
        ScaleDecision d = null!;
        for (int t = 0; t <= 400; t += 10)
        {
            d = s.Tick(t, 0, current: 1, ready: 1);
        }

        Assert.Equal(1, d.DesiredReplicas);
        Assert.Equal(ScaleLimit.MinReplicas, d.ClampedBy);
    }

    [Fact]
    public void Decide_LoadGone_KpaScalesDownToMinAfterStableWindowAndCooldown()
    {
        // AIBrix #593: KPA never scaled down. Default cooldowns (0 s up, 300 s down), the decision applied each tick.
        var s = new Scenario(Scenario.Settings(ScalingStrategy.Kpa, max: 20) with { ScaleDownCooldown = TimeSpan.FromSeconds(300) });
        int replicas = 10;
        var decided = new Dictionary<int, int>();
        for (int t = 0; t <= 3000; t += 10)
        {
            replicas = s.Tick(t, t < 300 ? 100 : 0, replicas, replicas).DesiredReplicas;
            decided[t] = replicas;
        }

        Assert.All(decided.Where(kv => kv.Key < 600), kv => Assert.Equal(10, kv.Value)); // the t ≤ 290 recommendations of 10 hold for 300 s
        Assert.Equal(9, decided[600]); // the highest since t=310: ceil(16 × 100 / 18 / 10) = ceil(8.9)
        // The cooldown holds the highest recommendation of the last 300 s: at t=450 the stable window still held two
        // samples of 100 (ceil(200 / 18 / 10) = 2), at t=460 one (1), from t=470 none. So 1 once t=450 leaves: t=750.
        Assert.Equal(2, decided[740]);
        Assert.Equal(750, decided.First(kv => kv.Value == 1).Key);
        Assert.Equal(1, decided[3000]);
    }

    [Fact]
    public void Observe_ReadyPodThatDidNotAnswer_LeftOutNotCountedAsIdle()
    {
        var s = new Scenario(Scenario.Settings(ScalingStrategy.Kpa));
        s.Autoscaler.Observe(0, MetricObservation.FromPods(sum: 30, sampledPods: 3, readyPods: 4));

        var d = s.Autoscaler.Decide(new ScaleState(4, 4));

        Assert.Equal(40, d.Metrics[0].Value, 9); // the three answers' mean (10) times the four ready pods
        Assert.Equal(4, d.DesiredReplicas); // counting the silent pod as 0 would have given ceil(30 / 10) = 3
    }

    [Fact]
    public void Observe_BadInputs_ReportedAndNotRecorded()
    {
        var s = new Scenario(Scenario.Settings(ScalingStrategy.Kpa));

        Assert.Equal(ObservationStatus.InvalidValue, s.Autoscaler.Observe(0, MetricObservation.FromTotal(double.NaN, 1)));
        Assert.Equal(ObservationStatus.InvalidValue, s.Autoscaler.Observe(0, MetricObservation.FromTotal(-1, 1)));
        Assert.Equal(ObservationStatus.NoSample, s.Autoscaler.Observe(0, MetricObservation.FromPods(0, 0, 3)));
        Assert.Equal(ObservationStatus.UnknownMetric, s.Autoscaler.Observe(1, MetricObservation.FromTotal(1, 1)));
        Assert.Equal(ObservationStatus.UnknownMetric, s.Autoscaler.Observe("nope", MetricObservation.FromTotal(1, 1)));

        var d = s.Autoscaler.Decide(new ScaleState(3, 3));
        Assert.False(d.HasRecommendation);
        Assert.Equal(3, d.DesiredReplicas); // nothing measured: hold, never read as no load
        Assert.Equal("KPA: no fresh metric sample; holding 3; 3 → 3", d.Reason);
    }

    [Fact]
    public void Decide_SampleOlderThanTheStableWindow_NoRecommendation()
    {
        var s = new Scenario(Scenario.Settings(ScalingStrategy.Apa));
        s.TickPods(0, 50, current: 2, ready: 2);

        var d = s.At(180).Autoscaler.Decide(new ScaleState(2, 2));

        Assert.Equal(RecommendationMode.NoData, d.Mode);
        Assert.Equal(2, d.DesiredReplicas);
    }

    [Fact]
    public void Decide_SeveralMetrics_HighestRecommendationWins()
    {
        var settings = Scenario.Settings(ScalingStrategy.Apa) with
        {
            Metrics = [new MetricTarget("kv", MetricSourceType.Pod, 0.5), new MetricTarget("waiting", MetricSourceType.Pod, 5), new MetricTarget("silent", MetricSourceType.Pod, 1)],
        };
        var s = new Scenario(settings);
        s.Autoscaler.Observe("kv", MetricObservation.FromPods(4 * 0.6, 4, 4)); // 1.2 → ceil(4.8) = 5
        s.Autoscaler.Observe("waiting", MetricObservation.FromPods(4 * 8, 4, 4)); // 1.6 → ceil(6.4) = 7

        var d = s.Autoscaler.Decide(new ScaleState(4, 4));

        Assert.Equal(7, d.DesiredReplicas);
        Assert.Equal("waiting", d.DecidingMetric);
        Assert.Equal([5, 7, 0], d.Metrics.Select(m => m.Replicas));
        Assert.Equal(RecommendationMode.NoData, d.Metrics[2].Mode);
    }

    [Fact]
    public void Decide_ActiveSchedule_RaisesTheFloorEvenWithoutData()
    {
        var morning = new ReplicaSchedule("morning", TimeZoneInfo.Utc, WeekDays.Mon, new TimeOnly(0, 0), new TimeOnly(1, 0), MinReplicas: 4, MaxReplicas: null);
        var s = new Scenario(Scenario.Settings(ScalingStrategy.Apa) with { Schedules = [morning] }); // the epoch is a Monday, 00:00 UTC

        var inWindow = s.TickPods(0, 10, current: 2, ready: 2);
        var noData = s.At(1800).Autoscaler.Decide(new ScaleState(2, 2));
        var after = s.TickPods(3600, 10, current: 4, ready: 4);

        Assert.Equal((4, ScaleLimit.MinReplicas, "morning"), (inWindow.DesiredReplicas, inWindow.ClampedBy, inWindow.Bounds.Schedule));
        Assert.Contains("(schedule 'morning': min 4, max 100)", inWindow.Reason, StringComparison.Ordinal);
        Assert.Equal(4, noData.DesiredReplicas);
        Assert.Equal((4, (string?)null), (after.DesiredReplicas, after.Bounds.Schedule)); // within tolerance: 4 stays
    }

    [Fact]
    public void Decide_Reason_NamesModeValuesAndEveryLimit()
    {
        var s = new Scenario(Scenario.Settings(ScalingStrategy.Kpa));

        var d = s.Tick(0, 100, current: 4, ready: 4);

        Assert.Equal("KPA panic on load (stable 100, panic 100, target 10): 10; max-scale-up-rate 10→8; 4 → 8", d.Reason);
        Assert.True(d.Changes);
        Assert.Equal(10, d.Metrics[0].RawReplicas);
    }

    [Fact]
    public void Update_NewCooldown_KeepsTheMetricHistory()
    {
        var s = new Scenario(Scenario.Settings(ScalingStrategy.Kpa));
        for (int t = 0; t <= 50; t += 10)
        {
            s.Tick(t, 100, current: 10, ready: 10);
        }

        s.Autoscaler.Update(s.Autoscaler.Settings with { ScaleUpCooldown = TimeSpan.FromSeconds(30), Granularity = TimeSpan.FromSeconds(2) });
        var d = s.Tick(60, 0, current: 10, ready: 10);

        Assert.Equal(600.0 / 7, d.Metrics[0].Value, 9); // six samples of 100 and one 0 still in the stable window
        Assert.Equal(9, d.DesiredReplicas);
    }

    [Fact]
    public void Constructor_InvalidSettings_Throws()
    {
        var bad = Scenario.Settings(ScalingStrategy.Kpa) with { Metrics = [] };

        var e = Assert.Throws<ArgumentException>(() => new Autoscaler(bad, TimeProvider.System));
        Assert.Contains("at least one metric", e.Message, StringComparison.Ordinal);
    }
}
