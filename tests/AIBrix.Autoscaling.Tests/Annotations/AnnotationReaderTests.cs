using AIBrix.Autoscaling.Annotations;
using AIBrix.Autoscaling.Spec;

namespace AIBrix.Autoscaling.Tests.Annotations;

public sealed class AnnotationReaderTests
{
    private static readonly AutoscalerSpec Kpa = new()
    {
        ScalingStrategy = "KPA",
        MinReplicas = 1,
        MaxReplicas = 10,
        MetricsSources = [new MetricSourceSpec("pod", "gpu_cache_usage_perc", "0.5")],
    };

    private static SettingsParseResult Parse(Dictionary<string, string> annotations, AutoscalerSpec? spec = null) =>
        AutoscalerSpecParser.Parse(spec ?? Kpa, annotations);

    [Fact]
    public void Parse_EveryKnownAnnotation_Applied()
    {
        var result = Parse(new()
        {
            [AutoscalingAnnotations.MaxScaleUpRate] = "3.0",
            [AutoscalingAnnotations.MaxScaleDownRate] = "1.5",
            [AutoscalingAnnotations.ScaleUpTolerance] = "0.2",
            [AutoscalingAnnotations.ScaleDownTolerance] = "0.05",
            [AutoscalingAnnotations.PanicThreshold] = "2.5",
            [AutoscalingAnnotations.ScaleUpCooldownWindow] = "30s",
            [AutoscalingAnnotations.ScaleDownCooldownWindow] = "5m",
            [AutoscalingAnnotations.ScaleToZero] = "false",
            [AutoscalingAnnotations.StableWindow] = "2m",
            [AutoscalingAnnotations.PanicWindow] = "10s",
            [AutoscalingAnnotations.Window] = "45s",
            [AutoscalingAnnotations.Granularity] = "2s",
            [AutoscalingAnnotations.ActivationScale] = "2",
            ["kubectl.kubernetes.io/last-applied-configuration"] = "{}",
        });

        var s = result.Settings!;
        Assert.Empty(result.Errors);
        Assert.Equal((3.0, 1.5, 0.2, 0.05, 2.5), (s.MaxScaleUpRate, s.MaxScaleDownRate, s.ScaleUpTolerance, s.ScaleDownTolerance, s.PanicThreshold));
        Assert.Equal((30, 300, 120, 10, 45, 2), (s.ScaleUpCooldown.TotalSeconds, s.ScaleDownCooldown.TotalSeconds, s.StableWindow.TotalSeconds, s.PanicWindow.TotalSeconds, s.ApaWindow.TotalSeconds, s.Granularity.TotalSeconds));
        Assert.Equal((false, 2), (s.ScaleToZero, s.ActivationScale));
        Assert.Contains("annotation autoscaling.aibrix.ai/window has no effect with KPA", result.Warnings);
    }

    [Theory]
    [InlineData(AutoscalingAnnotations.MaxScaleUpRate, "fast", "'fast' is not a number")]
    [InlineData(AutoscalingAnnotations.MaxScaleUpRate, "1", "must be above 1")]
    [InlineData(AutoscalingAnnotations.MaxScaleDownRate, "NaN", "'NaN' is not a number")]
    [InlineData(AutoscalingAnnotations.ScaleDownTolerance, "1.5", "must be at least 0 and at most 0.99")]
    [InlineData(AutoscalingAnnotations.PanicThreshold, "0.5", "must be at least 1 and at most 10")]
    [InlineData(AutoscalingAnnotations.ScaleDownCooldownWindow, "300", "without a unit")]
    [InlineData(AutoscalingAnnotations.ScaleUpCooldownWindow, "-5s", "outside 0s-3600s")]
    [InlineData(AutoscalingAnnotations.ScaleToZero, "yes", "'yes' is not a boolean")]
    [InlineData(AutoscalingAnnotations.ActivationScale, "1.5", "'1.5' is not an integer")]
    [InlineData(AutoscalingAnnotations.Granularity, "10ms", "outside 0.1s-60s")]
    public void Parse_MalformedValue_ErrorAndTheDefaultStays(string key, string value, string why)
    {
        var result = Parse(new() { [key] = value });

        var error = Assert.Single(result.Errors);
        Assert.StartsWith($"annotation {key}: ", error, StringComparison.Ordinal);
        Assert.Contains(why, error, StringComparison.Ordinal);
        var defaults = Parse([]).Settings!;
        Assert.Equal(defaults, result.Settings! with { Metrics = defaults.Metrics, Schedules = defaults.Schedules }); // still usable, on the defaults
    }

    [Theory]
    [InlineData("autoscaling.aibrix.ai/max-scale-up", "unknown; known keys: max-scale-up-rate, ")]
    [InlineData("kpa.autoscaling.aibrix.ai/scale-down-delay", "no longer read; use autoscaling.aibrix.ai/scale-down-cooldown-window")]
    [InlineData("apa.autoscaling.aibrix.ai/up-fluctuation-tolerance", "use autoscaling.aibrix.ai/scale-up-tolerance")]
    [InlineData("autoscaling.aibrix.ai/down-fluctuation-tolerance", "use autoscaling.aibrix.ai/scale-down-tolerance")]
    [InlineData("kpa.autoscaling.aibrix.ai/target-burst-capacity", "no longer read and has no replacement")]
    [InlineData("kpa.autoscaling.aibrix.ai/anything", "the keys are autoscaling.aibrix.ai/*")]
    [InlineData("autoscaling.aibrix.ai/storm-service-mode", "StormService")]
    public void Parse_UnknownOrRetiredKey_ReportedNeverIgnored(string key, string why)
    {
        var result = Parse(new() { [key] = "30s" });

        Assert.Contains(why, Assert.Single(result.Errors), StringComparison.Ordinal);
        Assert.NotNull(result.Settings);
    }

    [Fact]
    public void Parse_SeveralBadAnnotations_EveryOneReported()
    {
        var result = Parse(new()
        {
            [AutoscalingAnnotations.PanicThreshold] = "x",
            [AutoscalingAnnotations.ScaleToZero] = "maybe",
            ["autoscaling.aibrix.ai/typo"] = "1",
        });

        Assert.Equal(3, result.Errors.Count);
    }

    [Fact]
    public void Parse_WindowInSpecAndAnnotation_SpecWinsAndTheClashIsReported()
    {
        var result = Parse(new() { [AutoscalingAnnotations.StableWindow] = "2m" }, Kpa with { ObserveWindowSeconds = 240 });

        Assert.Equal(240, result.Settings!.StableWindow.TotalSeconds);
        Assert.Contains("spec.observeWindowSeconds is also set", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PanicWindowLongerThanStable_ErrorAndBothWindowsKeepTheSpecValues()
    {
        var result = Parse(new() { [AutoscalingAnnotations.PanicWindow] = "5m" });

        Assert.Contains("panic window (300s) is longer than the stable window (180s)", Assert.Single(result.Errors), StringComparison.Ordinal);
        Assert.Equal((180, 60), (result.Settings!.StableWindow.TotalSeconds, result.Settings.PanicWindow.TotalSeconds));
    }

    [Fact]
    public void Parse_KpaOnlyKeysOnApa_Warned()
    {
        var result = Parse(new() { [AutoscalingAnnotations.PanicThreshold] = "3" }, Kpa with { ScalingStrategy = "APA" });

        Assert.Empty(result.Errors);
        Assert.Equal(["annotation autoscaling.aibrix.ai/panic-threshold has no effect with APA"], result.Warnings);
    }

    [Fact]
    public void Parse_ScaleToZeroWithMinAboveZero_Warned()
    {
        var result = Parse(new() { [AutoscalingAnnotations.ScaleToZero] = "true" });

        Assert.True(result.Settings!.ScaleToZero);
        Assert.Contains("scale-to-zero has no effect while minReplicas is 1", result.Warnings);
    }
}
