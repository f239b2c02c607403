using AIBrix.Autoscaling.Annotations;
using AIBrix.Autoscaling.Decisions;
using AIBrix.Autoscaling.Spec;

namespace AIBrix.Autoscaling.Tests.Stabilisation;

/// <summary>
/// The peak floor on a hand-built fall: 16 pods at the target (10 each), then the load drops to 10 in all (one pod's
/// worth) at t = 100 s; a decision every 10 s, cooldowns off, pods ready at once. Without the floor the count halves
/// each decision to 1; with peak-floor 0.3 it stops at ceil(0.3 × 16) = 5 until the peak of 16 leaves the window.
/// </summary>
public sealed class PeakFloorTests
{
    private static List<int> Run(ScalingStrategy strategy, double peakFloor, TimeSpan window, int until = 400)
    {
        var settings = Scenario.Settings(strategy) with { PeakFloor = peakFloor, PeakFloorWindow = window };
        var s = new Scenario(settings);
        var counts = new List<int>();
        int current = 16;
        for (int t = 0; t <= until; t += 10)
        {
            double total = t < 100 ? 160 : 10;
            var d = s.Tick(t, total, current, current);
            current = d.DesiredReplicas;
            counts.Add(current);
        }

        return counts;
    }

    [Theory]
    [InlineData(ScalingStrategy.Apa)]
    [InlineData(ScalingStrategy.Kpa)]
    public void Decide_LoadFalls_KeepsTheFractionOfThePeak(ScalingStrategy strategy)
    {
        var without = Run(strategy, 0, TimeSpan.FromHours(1));
        var with = Run(strategy, 0.3, TimeSpan.FromHours(1));

        Assert.Equal(1, without[^1]);
        Assert.Equal(5, with[^1]);
        Assert.Equal(5, with.Skip(10).Min()); // never below the floor on the way down
    }

    [Fact]
    public void Decide_PeakLeavesTheWindow_FloorDecaysToTheNextPeak()
    {
        // Window 200 s: the 16 asked for last at 90 s holds the floor at 5 until it leaves the window at 300 s; the counts
        // of the way down (14 and lower as APA's window empties of the old load) hold ceil(0.3 × count) a little
        // longer, then the 5s hold 2, and once they have left too, 1.
        var counts = Run(ScalingStrategy.Apa, 0.3, TimeSpan.FromSeconds(200), until: 800);

        Assert.Equal(5, counts.Skip(12).Take(18).Min()); // t = 120-290 s
        int firstBelow = counts.FindIndex(c => c < 5);
        Assert.InRange(firstBelow, 30, 40); // t = 300-400 s
        Assert.Equal(1, counts[^1]);
    }

    [Fact]
    public void Decide_FloorHolds_ReasonNamesIt()
    {
        var settings = Scenario.Settings(ScalingStrategy.Apa) with { PeakFloor = 0.3 };
        var s = new Scenario(settings);
        int current = 16;
        s.Tick(0, 160, current, current);
        ScaleDecision? held = null;
        for (int t = 10; t <= 200 && held is null; t += 10)
        {
            var d = s.Tick(t, 10, current, current);
            current = d.DesiredReplicas;
            if (d.Limits.Any(l => l.Limit == ScaleLimit.PeakFloor))
            {
                held = d;
            }
        }

        Assert.NotNull(held);
        Assert.Equal(5, held.DesiredReplicas);
        var step = Assert.Single(held.Limits, l => l.Limit == ScaleLimit.PeakFloor);
        Assert.True(step.Before < 5, $"from {step.Before}");
        Assert.Contains($"peak-floor {step.Before}→5", held.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_Hpa_FloorNotApplied()
    {
        var counts = Run(ScalingStrategy.Hpa, 0.3, TimeSpan.FromHours(1));

        Assert.Equal(1, counts[^1]);
    }

    [Fact]
    public void Decide_ScaleUpAndSteady_FloorChangesNothing()
    {
        // A rising then steady load: every count is a scale-up or a hold, so a floor of the whole peak changes nothing.
        double[] totals = [40, 80, 160, 240, 240, 240, 240];

        List<int> Counts(double floor)
        {
            var s = new Scenario(Scenario.Settings(ScalingStrategy.Apa) with { PeakFloor = floor });
            var counts = new List<int>();
            int current = 4;
            for (int i = 0; i < totals.Length; i++)
            {
                var d = s.Tick(i * 10, totals[i], current, current);
                Assert.DoesNotContain(d.Limits, l => l.Limit == ScaleLimit.PeakFloor);
                current = d.DesiredReplicas;
                counts.Add(current);
            }

            return counts;
        }

        Assert.Equal(Counts(0), Counts(1));
        Assert.True(Counts(1)[^1] > 4);
    }

    [Fact]
    public void Parse_PeakFloorAnnotations_AppliedAndChecked()
    {
        var spec = new AutoscalerSpec
        {
            ScalingStrategy = "APA",
            MinReplicas = 1,
            MaxReplicas = 10,
            MetricsSources = [new MetricSourceSpec("pod", "num_requests_running", "24")],
        };

        var ok = AutoscalerSpecParser.Parse(spec, new Dictionary<string, string>
        {
            [AutoscalingAnnotations.PeakFloor] = "0.25",
            [AutoscalingAnnotations.PeakFloorWindow] = "30m",
        });
        var bad = AutoscalerSpecParser.Parse(spec, new Dictionary<string, string> { [AutoscalingAnnotations.PeakFloor] = "1.5" });
        var hpa = AutoscalerSpecParser.Parse(spec with { ScalingStrategy = "HPA" }, new Dictionary<string, string> { [AutoscalingAnnotations.PeakFloor] = "0.25" });

        Assert.Equal((0.25, TimeSpan.FromMinutes(30)), (ok.Settings!.PeakFloor, ok.Settings.PeakFloorWindow));
        Assert.Contains(bad.Errors, e => e.Contains("peak-floor", StringComparison.Ordinal));
        Assert.Contains(hpa.Warnings, w => w.Contains("peak-floor", StringComparison.Ordinal));
    }
}
