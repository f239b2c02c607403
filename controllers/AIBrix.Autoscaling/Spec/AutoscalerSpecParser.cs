using System.Globalization;
using AIBrix.Autoscaling.Annotations;
using AIBrix.Autoscaling.Schedules;

namespace AIBrix.Autoscaling.Spec;

/// <summary>Turns a PodAutoscaler's spec and annotations into <see cref="AutoscalerSettings"/>, collecting every problem.</summary>
public static class AutoscalerSpecParser
{
    /// <summary>Reads <paramref name="spec"/> and <paramref name="annotations"/> (only <c>autoscaling.aibrix.ai/*</c> keys are read).</summary>
    public static SettingsParseResult Parse(AutoscalerSpec spec, IReadOnlyDictionary<string, string>? annotations = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new List<string>();
        var warnings = new List<string>();
        if (!ScalingStrategies.TryParse(spec.ScalingStrategy, out var strategy))
        {
            errors.Add($"spec.scalingStrategy: '{spec.ScalingStrategy}' is not one of {string.Join(", ", ScalingStrategies.Names)}");
        }

        var metrics = Metrics(spec.MetricsSources, errors, warnings);
        var schedules = new List<ReplicaSchedule>();
        for (int i = 0; i < spec.Schedules.Count; i++)
        {
            if (ScheduleParser.Parse(spec.Schedules[i], i, errors) is { } schedule)
            {
                schedules.Add(schedule);
            }
        }

        var settings = new AutoscalerSettings
        {
            Strategy = strategy,
            MinReplicas = spec.MinReplicas ?? AutoscalerDefaults.MinReplicas,
            MaxReplicas = spec.MaxReplicas,
            Metrics = metrics,
            StableWindow = Seconds(spec.ObserveWindowSeconds, "spec.observeWindowSeconds", AutoscalerDefaults.StableWindow, errors),
            PanicWindow = Seconds(spec.PanicWindowSeconds, "spec.panicWindowSeconds", AutoscalerDefaults.PanicWindow, errors),
            Schedules = schedules,
        };
        foreach (var error in settings.Validate())
        {
            // Sources that were listed but failed to parse already have their own errors.
            if (error != AutoscalerSettings.NoMetricError || spec.MetricsSources.Count == 0)
            {
                errors.Add("spec: " + error);
            }
        }

        bool usable = errors.Count == 0;
        settings = AnnotationReader.Apply(settings, annotations, spec.ObserveWindowSeconds is not null, spec.PanicWindowSeconds is not null, errors, warnings);
        if (settings.ScaleToZero && settings.MinReplicas > 0)
        {
            warnings.Add($"scale-to-zero has no effect while minReplicas is {settings.MinReplicas}");
        }
        else if (!settings.ScaleToZero && settings.MinReplicas == 0)
        {
            warnings.Add("minReplicas 0 without autoscaling.aibrix.ai/scale-to-zero: at least 1 replica is kept");
        }

        return new SettingsParseResult(usable ? settings : null, errors, warnings);
    }

    private static List<MetricTarget> Metrics(IReadOnlyList<MetricSourceSpec> sources, List<string> errors, List<string> warnings)
    {
        var metrics = new List<MetricTarget>(sources.Count);
        for (int i = 0; i < sources.Count; i++)
        {
            var source = sources[i];
            string at = $"spec.metricsSources[{i}]";
            int before = errors.Count;
            if (!MetricSourceTypes.TryParse(source.MetricSourceType, out var type))
            {
                errors.Add($"{at}.metricSourceType: '{source.MetricSourceType}' is not one of {string.Join(", ", MetricSourceTypes.Names)}");
            }
            else if (source.MetricSourceType == MetricSourceTypes.DeprecatedDomain)
            {
                warnings.Add($"{at}.metricSourceType: 'domain' is deprecated; use 'external'");
            }

            if (string.IsNullOrWhiteSpace(source.TargetMetric))
            {
                errors.Add($"{at}.targetMetric: required");
            }

            if (!double.TryParse(source.TargetValue, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || value <= 0)
            {
                errors.Add($"{at}.targetValue: '{source.TargetValue}' must be a number above 0");
            }

            if (errors.Count == before)
            {
                metrics.Add(new MetricTarget(source.TargetMetric!, type, value));
            }
        }

        return metrics;
    }

    private static TimeSpan Seconds(long? seconds, string field, TimeSpan fallback, List<string> errors)
    {
        if (seconds is null)
        {
            return fallback;
        }

        if (seconds is < 1 or > 3600)
        {
            errors.Add($"{field}: {seconds} is outside 1-3600");
            return fallback;
        }

        return TimeSpan.FromSeconds(seconds.Value);
    }
}
