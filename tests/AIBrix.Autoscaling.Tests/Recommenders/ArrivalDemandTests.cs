using AIBrix.Autoscaling.Annotations;
using AIBrix.Autoscaling.Decisions;
using AIBrix.Autoscaling.Observations;
using AIBrix.Autoscaling.Spec;

namespace AIBrix.Autoscaling.Tests.Recommenders;

/// <summary>
/// The arrival-rate demand signal on hand-built series: an engine metric <c>load</c> (target 10 a pod) and the
/// gateway's arrival rate, a sample of each every 10 s. At 2 requests a second with 40 in the engines a request stays
/// 20 s (Little's law), so a pod carries 10 ÷ 20 = 0.5 requests a second at the target.
/// </summary>
public sealed class ArrivalDemandTests
{
    private const string Arrivals = "aibrix_gateway_model_arrival_rate";

    private static AutoscalerSettings Settings(ScalingStrategy strategy, bool arrivals, TimeSpan? down = null, TimeSpan? demandDown = null) =>
        Scenario.Settings(strategy) with
        {
            Metrics = arrivals
                ? [new MetricTarget("load", MetricSourceType.Pod, 10), new MetricTarget(Arrivals, MetricSourceType.External, 1)]
                : [new MetricTarget("load", MetricSourceType.Pod, 10)],
            ScaleDownCooldown = down ?? TimeSpan.Zero,
            DemandScaleDownCooldown = demandDown ?? AutoscalerDefaults.DemandScaleDownCooldown,
        };

    private static ScaleDecision Tick(Scenario s, bool arrivals, double seconds, double engineTotal, double rate, int pods)
    {
        s.At(seconds);
        Assert.Equal(ObservationStatus.Recorded, s.Autoscaler.Observe(0, MetricObservation.FromPods(engineTotal, pods, pods)));
        if (arrivals)
        {
            Assert.Equal(ObservationStatus.Recorded, s.Autoscaler.Observe(1, MetricObservation.FromTotal(rate, pods)));
        }

        return s.Autoscaler.Decide(new ScaleState(pods, pods));
    }

    [Theory]
    [InlineData(ScalingStrategy.Apa)]
    [InlineData(ScalingStrategy.Kpa)]
    public void Decide_StepInArrivals_ProposesTheCountBeforeTheEngineMetricMoves(ScalingStrategy strategy)
    {
        var with = new Scenario(Settings(strategy, arrivals: true), readyPodsAtStart: 1);
        var without = new Scenario(Settings(strategy, arrivals: false), readyPodsAtStart: 1);
        for (int t = 0; t <= 180; t += 10)
        {
            Assert.Equal(4, Tick(with, true, t, 40, 2, 4).DesiredReplicas);
            Assert.Equal(4, Tick(without, false, t, 40, 2, 4).DesiredReplicas);
        }

        // Arrivals double; the engines still hold 40 (the new requests have not reached them yet).
        var d = Tick(with, true, 190, 40, 4, 4);
        var engineOnly = Tick(without, false, 190, 40, 4, 4);

        Assert.Equal(4, engineOnly.DesiredReplicas);
        // Learned while steady at the target: 40 in the engines at 2/s is 20 s a request, 0.5 requests a second a pod,
        // so 4/s (a quarter above the stable window's mean: demand clearly rose) needs 8 pods (the ×2 rate allows 8).
        Assert.Equal(8, d.DesiredReplicas);
        var demand = d.Metrics.Single(m => m.Metric == Arrivals);
        Assert.Equal(RecommendationMode.Demand, demand.Mode);
        Assert.Equal(8, demand.Replicas);
        Assert.Equal(0.5, demand.TargetValue, 9);
        Assert.Contains(new LimitStep(ScaleLimit.Demand, 4, 8, null), d.Limits);
        Assert.Contains("arrival demand 4→8", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_DemandFell_ScalesDownAfterTheShorterCooldown()
    {
        var settings = Settings(ScalingStrategy.Apa, arrivals: true, down: TimeSpan.FromSeconds(600), demandDown: TimeSpan.FromSeconds(60));
        var with = new Scenario(settings, readyPodsAtStart: 1);
        var without = new Scenario(settings with { Metrics = [settings.Metrics[0]] }, readyPodsAtStart: 1);
        for (int t = 0; t <= 200; t += 10)
        {
            Assert.Equal(8, Tick(with, true, t, 80, 4, 8).DesiredReplicas);
            Assert.Equal(8, Tick(without, false, t, 80, 4, 8).DesiredReplicas);
        }

        // Demand falls to a quarter and the engines follow.
        ScaleDecision d = default!, engineOnly = default!;
        for (int t = 210; t <= 330; t += 10)
        {
            d = Tick(with, true, t, 20, 1, 8);
            engineOnly = Tick(without, false, t, 20, 1, 8);
        }

        Assert.Equal(8, engineOnly.DesiredReplicas); // the 600 s cooldown holds
        Assert.Equal(4, d.DesiredReplicas); // the 60 s cooldown has passed; the ×2 down-rate allows 4
    }

    [Fact]
    public void Decide_ArrivalsFellButTheEnginesAreStillLoaded_TheEngineMetricChecksTheScaleDown()
    {
        var with = new Scenario(Settings(ScalingStrategy.Apa, arrivals: true), readyPodsAtStart: 1);
        for (int t = 0; t <= 200; t += 10)
        {
            Tick(with, true, t, 80, 4, 8);
        }

        // The arrivals stop; the engines still hold 80 (a backlog draining): the count stays where 80 is within
        // the target and its tolerance, ceil(80 ÷ 11) = 8.
        var d = Tick(with, true, 210, 80, 0.1, 8);

        Assert.Equal(8, d.DesiredReplicas);
        Assert.Equal(1, d.Metrics.Single(m => m.Metric == Arrivals).Replicas);
    }

    [Fact]
    public void Hpa_ReadsAnArrivalRateAsAnOrdinaryMetric()
    {
        var s = new Scenario(Settings(ScalingStrategy.Hpa, arrivals: true), readyPodsAtStart: 1);

        var d = Tick(s, true, 10, 40, 8, 4);

        // 8 requests a second at its target of 1 a pod: 8 pods (HPA's first step may double 4 → 8).
        Assert.Equal(8, d.DesiredReplicas);
        Assert.Equal(RecommendationMode.ScaleUp, d.Metrics.Single(m => m.Metric == Arrivals).Mode);
    }

    [Fact]
    public void Parse_DemandCooldownAnnotation_ReadWithAnArrivalMetricAndWarnedWithout()
    {
        AutoscalerSpec Spec(params MetricSourceSpec[] sources) => new()
        {
            ScalingStrategy = "APA",
            MinReplicas = 1,
            MaxReplicas = 8,
            MetricsSources = sources,
        };
        var annotations = new Dictionary<string, string> { [AutoscalingAnnotations.DemandScaleDownCooldownWindow] = "90s" };

        var with = AutoscalerSpecParser.Parse(Spec(new MetricSourceSpec("pod", "num_requests_running", "24"), new MetricSourceSpec("external", Arrivals, "1")), annotations);
        var without = AutoscalerSpecParser.Parse(Spec(new MetricSourceSpec("pod", "num_requests_running", "24")), annotations);

        Assert.Empty(with.Errors);
        Assert.Empty(with.Warnings);
        Assert.Equal(TimeSpan.FromSeconds(90), with.Settings!.DemandScaleDownCooldown);
        Assert.True(with.Settings.Metrics[1].IsArrivalRate);
        Assert.Contains(without.Warnings, w => w.Contains("demand-scale-down-cooldown-window", StringComparison.Ordinal));
    }
}
