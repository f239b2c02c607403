using AIBrix.Autoscaling.Annotations;
using AIBrix.Autoscaling.Decisions;
using AIBrix.Autoscaling.Spec;

namespace AIBrix.Autoscaling.Tests.Recommenders;

/// <summary>
/// The scale-up lookahead on hand-built series: 4 ready pods, target 10, a sample every 10 s. The rising series
/// 40, 44, …, 60 (0.4 a second) has a window mean of 50 and a least-squares line at 60 now, so 20 s ahead it
/// reaches 68: without the lookahead ceil(50 / 10) = 5 pods, with it ceil(68 / 10) = 7.
/// </summary>
public sealed class LookaheadTests
{
    private static readonly double[] Rising = [40, 44, 48, 52, 56, 60];

    private static ScaleDecision Run(ScalingStrategy strategy, TimeSpan lookahead, IReadOnlyList<double> totals)
    {
        var settings = Scenario.Settings(strategy) with { ScaleUpLookahead = lookahead };
        var s = new Scenario(settings);
        ScaleDecision d = default!;
        for (int i = 0; i < totals.Count; i++)
        {
            d = s.TickPods(i * 10, totals[i] / 4, current: 4, ready: 4);
        }

        return d;
    }

    [Theory]
    [InlineData(ScalingStrategy.Apa, 0, 5)] // 50 / 4 = 12.5 a pod: ceil(4 × 1.25)
    [InlineData(ScalingStrategy.Apa, 20, 7)] // 68 / 4 = 17 a pod: ceil(4 × 1.7) = ceil(6.8)
    [InlineData(ScalingStrategy.Apa, 60, 8)] // 84 / 4 = 21: ceil(8.4) = 9, at most 2 × 4
    [InlineData(ScalingStrategy.Kpa, 0, 5)] // stable and panic totals 50: ceil(5.0); 5 / 4 is under the panic threshold
    [InlineData(ScalingStrategy.Kpa, 20, 7)] // the panic window's line at +20 s: ceil(6.8)
    [InlineData(ScalingStrategy.Kpa, 60, 8)] // ceil(8.4) = 9, at most 2 × 4
    public void Decide_RisingSeries_AsksForTheLoadTheTrendReachesThatFarAhead(ScalingStrategy strategy, int lookaheadSeconds, int expected)
    {
        var d = Run(strategy, TimeSpan.FromSeconds(lookaheadSeconds), Rising);

        Assert.Equal(expected, d.DesiredReplicas);
        var step = d.Limits.Where(l => l.Limit == ScaleLimit.Lookahead).ToList();
        if (lookaheadSeconds == 0)
        {
            Assert.Empty(step);
        }
        else
        {
            Assert.Equal(new LimitStep(ScaleLimit.Lookahead, 5, lookaheadSeconds == 20 ? 7 : 9, "load"), Assert.Single(step));
            Assert.Contains($"scale-up-lookahead 5→{(lookaheadSeconds == 20 ? 7 : 9)}", d.Reason, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(ScalingStrategy.Apa)]
    [InlineData(ScalingStrategy.Kpa)]
    public void Decide_FallingSeries_LookaheadChangesNothing(ScalingStrategy strategy)
    {
        var falling = Rising.Reverse().ToArray();

        var without = Run(strategy, TimeSpan.Zero, falling);
        var with = Run(strategy, TimeSpan.FromSeconds(120), falling);

        Assert.Equal(5, without.DesiredReplicas);
        Assert.Equal(without.DesiredReplicas, with.DesiredReplicas);
        Assert.DoesNotContain(with.Limits, l => l.Limit == ScaleLimit.Lookahead);
    }

    [Fact]
    public void Decide_ApaRisingTrendInsideTheBand_HoldsInsteadOfScalingDown()
    {
        // 4 pods at 24, 28, 32 in all: the mean 28 (7 a pod) is below 9, so APA alone scales down to ceil(2.8) = 3;
        // the line reaches 32 + 0.4 × 20 = 40 twenty seconds on, 10 a pod: within the band, the count stands.
        var without = Run(ScalingStrategy.Apa, TimeSpan.Zero, [24, 28, 32]);
        var with = Run(ScalingStrategy.Apa, TimeSpan.FromSeconds(20), [24, 28, 32]);

        Assert.Equal(3, without.DesiredReplicas);
        Assert.Equal(4, with.DesiredReplicas);
        Assert.Equal(RecommendationMode.WithinTolerance, with.Mode);
    }

    [Fact]
    public void Decide_OneSample_NoTrendNoChange()
    {
        var d = Run(ScalingStrategy.Apa, TimeSpan.FromSeconds(120), [60]);

        Assert.Equal(6, d.DesiredReplicas); // 15 a pod: ceil(4 × 1.5)
        Assert.DoesNotContain(d.Limits, l => l.Limit == ScaleLimit.Lookahead);
    }

    [Fact]
    public void Defaults_LookaheadIsTheDefaultStartUpTime()
    {
        Assert.Equal(TimeSpan.FromSeconds(120), new AutoscalerSettings().ScaleUpLookahead);
    }

    [Fact]
    public void Validate_LookaheadOutOfRange_Refused()
    {
        var settings = Scenario.Settings(ScalingStrategy.Kpa) with { ScaleUpLookahead = TimeSpan.FromHours(2) };

        Assert.Contains(settings.Validate(), e => e.Contains("scale-up-lookahead", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("KPA", "2m", 120, null)]
    [InlineData("APA", "90s", 90, null)]
    [InlineData("HPA", "2m", 120, "annotation autoscaling.aibrix.ai/scale-up-lookahead has no effect with HPA")]
    public void Parse_Annotation_SetsTheLookahead(string strategy, string value, int seconds, string? warning)
    {
        var spec = new AutoscalerSpec
        {
            ScalingStrategy = strategy,
            MinReplicas = 1,
            MaxReplicas = 10,
            MetricsSources = [new MetricSourceSpec("pod", "num_requests_running", "24")],
        };

        var result = AutoscalerSpecParser.Parse(spec, new Dictionary<string, string> { [AutoscalingAnnotations.ScaleUpLookahead] = value });

        Assert.Empty(result.Errors);
        Assert.Equal(seconds, result.Settings!.ScaleUpLookahead.TotalSeconds);
        if (warning is null)
        {
            Assert.Empty(result.Warnings);
        }
        else
        {
            Assert.Contains(warning, result.Warnings);
        }
    }

    [Theory]
    [InlineData("120", "without a unit")]
    [InlineData("2h", "outside 0s-3600s")]
    public void Parse_BadAnnotation_ErrorAndTheDefaultStays(string value, string why)
    {
        var spec = new AutoscalerSpec
        {
            ScalingStrategy = "APA",
            MinReplicas = 1,
            MaxReplicas = 10,
            MetricsSources = [new MetricSourceSpec("pod", "num_requests_running", "24")],
        };

        var result = AutoscalerSpecParser.Parse(spec, new Dictionary<string, string> { [AutoscalingAnnotations.ScaleUpLookahead] = value });

        Assert.Contains(why, Assert.Single(result.Errors), StringComparison.Ordinal);
        Assert.Equal(AutoscalerDefaults.ScaleUpLookahead, result.Settings!.ScaleUpLookahead); // the default stays
    }
}
