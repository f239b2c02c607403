using AIBrix.Autoscaling.Schedules;
using AIBrix.Autoscaling.Spec;

namespace AIBrix.Autoscaling.Tests.Spec;

public sealed class AutoscalerSpecParserTests
{
    [Fact]
    public void Parse_AIBrixKpaSample_Settings()
    {
        var result = AutoscalerSpecParser.Parse(new AutoscalerSpec
        {
            ScalingStrategy = "KPA",
            MinReplicas = 1,
            MaxReplicas = 8,
            ObserveWindowSeconds = 600,
            PanicWindowSeconds = 60,
            MetricsSources = [new MetricSourceSpec("pod", "gpu_cache_usage_perc", "0.5"), new MetricSourceSpec("domain", "vllm:deployment_replicas", "1")],
            Schedules = [new ScheduleSpec { Name = "weekdays", Timezone = "Europe/Paris", DaysOfWeek = ["Mon", "fri"], StartTime = "08:00", EndTime = "20:00", MinReplicas = 3 }],
        });

        var s = result.Settings!;
        Assert.Empty(result.Errors);
        Assert.Equal((ScalingStrategy.Kpa, 1, 8), (s.Strategy, s.MinReplicas, s.MaxReplicas));
        Assert.Equal(new MetricTarget("gpu_cache_usage_perc", MetricSourceType.Pod, 0.5), s.Metrics[0]);
        Assert.True(s.Metrics[1].IsReplicaCount);
        Assert.Equal((600, 60), (s.StableWindow.TotalSeconds, s.PanicWindow.TotalSeconds));
        var schedule = Assert.Single(s.Schedules);
        Assert.Equal(("Europe/Paris", WeekDays.Mon | WeekDays.Fri, new TimeOnly(8, 0), 3), (schedule.Zone.Id, schedule.Days, schedule.Start, schedule.MinReplicas));
        Assert.Equal(["spec.metricsSources[1].metricSourceType: 'domain' is deprecated; use 'external'"], result.Warnings);
    }

    [Fact]
    public void Parse_ManyMistakes_EveryOneReportedAndNoSettings()
    {
        var result = AutoscalerSpecParser.Parse(new AutoscalerSpec
        {
            ScalingStrategy = "VPA",
            MinReplicas = 5,
            MaxReplicas = 2,
            PanicWindowSeconds = 0,
            MetricsSources = [new MetricSourceSpec("prometheus", "", "half"), new MetricSourceSpec("pod", "kv", "0")],
            Schedules = [new ScheduleSpec { Name = "Night!", Timezone = "Mars/Olympus", DaysOfWeek = ["Someday"], StartTime = "9:00", EndTime = "24:00", MinReplicas = 1 }],
        });

        Assert.Null(result.Settings);
        string all = string.Join("\n", result.Errors);
        foreach (var expected in new[]
        {
            "spec.scalingStrategy: 'VPA' is not one of HPA, KPA, APA",
            "spec.metricsSources[0].metricSourceType: 'prometheus'",
            "spec.metricsSources[0].targetMetric: required",
            "spec.metricsSources[0].targetValue: 'half' must be a number above 0",
            "spec.metricsSources[1].targetValue: '0' must be a number above 0",
            "spec.panicWindowSeconds: 0 is outside 1-3600",
            "spec.schedules[0].name: 'Night!'",
            "spec.schedules[0].timezone: 'Mars/Olympus'",
            "spec.schedules[0].daysOfWeek: 'Someday'",
            "spec.schedules[0].startTime: '9:00'",
            "spec.schedules[0].endTime: '24:00'",
            "spec: minReplicas 5 is above maxReplicas 2",
        })
        {
            Assert.Contains(expected, all, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("at least one metric", all, StringComparison.Ordinal); // the sources were there, only wrong
    }

    [Fact]
    public void Parse_NoMetricAndDuplicates_Reported()
    {
        var empty = AutoscalerSpecParser.Parse(new AutoscalerSpec { ScalingStrategy = "APA", MaxReplicas = 3 });
        var twice = AutoscalerSpecParser.Parse(new AutoscalerSpec
        {
            ScalingStrategy = "apa",
            MaxReplicas = 3,
            MetricsSources = [new MetricSourceSpec("pod", "kv", "1"), new MetricSourceSpec("pod", "kv", "2")],
        });

        Assert.Contains("spec: metricsSources: at least one metric is required", empty.Errors);
        Assert.Contains("spec: metricsSources: 'kv' is listed twice", twice.Errors);
    }

    [Fact]
    public void Parse_MinZeroWithoutScaleToZero_WarnsThatOneIsKept()
    {
        var result = AutoscalerSpecParser.Parse(new AutoscalerSpec
        {
            ScalingStrategy = "KPA",
            MinReplicas = 0,
            MaxReplicas = 3,
            MetricsSources = [new MetricSourceSpec("external", "queue", "5")],
        });

        Assert.Contains("minReplicas 0 without autoscaling.aibrix.ai/scale-to-zero: at least 1 replica is kept", result.Warnings);
    }
}
