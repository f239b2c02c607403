using System.Globalization;

namespace AIBrix.Autoscaling.Annotations;

/// <summary>
/// Applies a PodAutoscaler's <c>autoscaling.aibrix.ai/*</c> annotations to its settings. Nothing is ignored in
/// silence: an unknown key under the prefix, an older AIBrix key that is no longer read, a malformed or
/// out-of-range value each add an error (the setting keeps its value from the spec or the default), and a valid
/// key the strategy does not use adds a warning. Other annotations (kubectl's, users') are not looked at.
/// </summary>
internal static class AnnotationReader
{
    public static AutoscalerSettings Apply(
        AutoscalerSettings settings, IReadOnlyDictionary<string, string>? annotations, bool specSetsStable, bool specSetsPanic, List<string> errors, List<string> warnings)
    {
        if (annotations is null || annotations.Count == 0)
        {
            return settings;
        }

        var s = settings;
        foreach (var (key, value) in annotations.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (!AutoscalingAnnotations.Prefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal)))
            {
                continue;
            }

            var reader = new ValueReader(key, value, errors);
            switch (key)
            {
                case AutoscalingAnnotations.MaxScaleUpRate when reader.Float(1, 1000, exclusiveMin: true) is { } v:
                    s = s with { MaxScaleUpRate = v };
                    break;
                case AutoscalingAnnotations.MaxScaleDownRate when reader.Float(1, 1000, exclusiveMin: true) is { } v:
                    s = s with { MaxScaleDownRate = v };
                    break;
                case AutoscalingAnnotations.ScaleUpTolerance when reader.Float(0, 10) is { } v:
                    s = s with { ScaleUpTolerance = v };
                    break;
                case AutoscalingAnnotations.ScaleDownTolerance when reader.Float(0, 0.99) is { } v:
                    s = s with { ScaleDownTolerance = v };
                    break;
                case AutoscalingAnnotations.PanicThreshold when reader.Float(1, 10) is { } v:
                    s = s with { PanicThreshold = v };
                    break;
                case AutoscalingAnnotations.ScaleUpCooldownWindow when reader.Duration(TimeSpan.Zero, TimeSpan.FromHours(1)) is { } v:
                    s = s with { ScaleUpCooldown = v };
                    break;
                case AutoscalingAnnotations.ScaleDownCooldownWindow when reader.Duration(TimeSpan.Zero, TimeSpan.FromHours(1)) is { } v:
                    s = s with { ScaleDownCooldown = v };
                    break;
                case AutoscalingAnnotations.ScaleUpLookahead when reader.Duration(TimeSpan.Zero, TimeSpan.FromHours(1)) is { } v:
                    s = s with { ScaleUpLookahead = v };
                    break;
                case AutoscalingAnnotations.DemandScaleDownCooldownWindow when reader.Duration(TimeSpan.Zero, TimeSpan.FromHours(1)) is { } v:
                    s = s with { DemandScaleDownCooldown = v };
                    break;
                case AutoscalingAnnotations.PeakFloor when reader.Float(0, 1) is { } v:
                    s = s with { PeakFloor = v };
                    break;
                case AutoscalingAnnotations.PeakFloorWindow when reader.Duration(TimeSpan.Zero, TimeSpan.FromHours(24)) is { } v:
                    s = s with { PeakFloorWindow = v };
                    break;
                case AutoscalingAnnotations.ScaleToZero when reader.Bool() is { } v:
                    s = s with { ScaleToZero = v };
                    break;
                case AutoscalingAnnotations.StableWindow when reader.Window(specSetsStable, "spec.observeWindowSeconds") is { } v:
                    s = s with { StableWindow = v };
                    break;
                case AutoscalingAnnotations.PanicWindow when reader.Window(specSetsPanic, "spec.panicWindowSeconds") is { } v:
                    s = s with { PanicWindow = v };
                    break;
                case AutoscalingAnnotations.Window when reader.Duration(TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)) is { } v:
                    s = s with { ApaWindow = v };
                    break;
                case AutoscalingAnnotations.Granularity when reader.Duration(TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1)) is { } v:
                    s = s with { Granularity = v };
                    break;
                case AutoscalingAnnotations.ActivationScale when reader.Int(1, ReplicaMath.Ceiling) is { } v:
                    s = s with { ActivationScale = v };
                    break;
                case var k when AutoscalingAnnotations.Known.Contains(k):
                    break; // a known key whose value the reader rejected (the error is already added)
                case AutoscalingAnnotations.StormServiceMode:
                    errors.Add($"annotation {key}: applies to StormService targets, which this autoscaler does not scale");
                    break;
                case var k when AutoscalingAnnotations.Replaced.TryGetValue(k, out var replacement):
                    errors.Add(replacement is null
                        ? $"annotation {key}: an older AIBrix key that is no longer read and has no replacement"
                        : $"annotation {key}: an older AIBrix key that is no longer read; use {replacement}");
                    break;
                case var k when !k.StartsWith(AutoscalingAnnotations.Prefix, StringComparison.Ordinal):
                    errors.Add($"annotation {key}: an older AIBrix key that is no longer read; the keys are {AutoscalingAnnotations.Prefix}*");
                    break;
                default:
                    errors.Add($"annotation {key}: unknown; known keys: {string.Join(", ", AutoscalingAnnotations.Known.Select(n => n[AutoscalingAnnotations.Prefix.Length..]))}");
                    break;
            }
        }

        if (s.PanicWindow > s.StableWindow && (s.PanicWindow != settings.PanicWindow || s.StableWindow != settings.StableWindow))
        {
            errors.Add($"annotations: the panic window ({s.PanicWindow.TotalSeconds}s) is longer than the stable window ({s.StableWindow.TotalSeconds}s); both windows keep their spec values");
            s = s with { PanicWindow = settings.PanicWindow, StableWindow = settings.StableWindow };
        }

        Warn(s, annotations, warnings);
        return s;
    }

    private static void Warn(AutoscalerSettings s, IReadOnlyDictionary<string, string> annotations, List<string> warnings)
    {
        string strategy = ScalingStrategies.Name(s.Strategy);
        void Unused(string key, bool used)
        {
            if (!used && annotations.ContainsKey(key))
            {
                warnings.Add($"annotation {key} has no effect with {strategy}");
            }
        }

        Unused(AutoscalingAnnotations.PanicThreshold, s.Strategy == ScalingStrategy.Kpa);
        Unused(AutoscalingAnnotations.PanicWindow, s.Strategy == ScalingStrategy.Kpa);
        Unused(AutoscalingAnnotations.ActivationScale, s.Strategy == ScalingStrategy.Kpa);
        Unused(AutoscalingAnnotations.Window, s.Strategy == ScalingStrategy.Apa);
        Unused(AutoscalingAnnotations.ScaleUpLookahead, s.Strategy != ScalingStrategy.Hpa);
        Unused(AutoscalingAnnotations.DemandScaleDownCooldownWindow, s.Strategy != ScalingStrategy.Hpa && s.Metrics.Any(m => m.IsArrivalRate));
        Unused(AutoscalingAnnotations.PeakFloor, s.Strategy != ScalingStrategy.Hpa);
        Unused(AutoscalingAnnotations.PeakFloorWindow, s.Strategy != ScalingStrategy.Hpa);
        Unused(AutoscalingAnnotations.ScaleUpTolerance, s.Strategy != ScalingStrategy.Kpa);
        Unused(AutoscalingAnnotations.ScaleDownTolerance, s.Strategy != ScalingStrategy.Kpa);
    }

    /// <summary>Reads one annotation value; null (after adding "annotation key: problem" to the errors) when it does not parse.</summary>
    private readonly struct ValueReader(string key, string value, List<string> errors)
    {
        public double? Float(double min, double max, bool exclusiveMin = false)
        {
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            {
                Error($"'{value}' is not a number");
                return null;
            }

            if ((exclusiveMin ? v <= min : v < min) || v > max)
            {
                string low = exclusiveMin ? "above " : "at least ";
                Error($"{value} must be {low}{min.ToString(CultureInfo.InvariantCulture)} and at most {max.ToString(CultureInfo.InvariantCulture)}");
                return null;
            }

            return v;
        }

        public int? Int(int min, int max)
        {
            if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v))
            {
                Error($"'{value}' is not an integer");
                return null;
            }

            if (v < min || v > max)
            {
                Error($"{value} is outside {min}-{max}");
                return null;
            }

            return v;
        }

        public bool? Bool()
        {
            switch (value)
            {
                case "1" or "t" or "T" or "true" or "TRUE" or "True":
                    return true;
                case "0" or "f" or "F" or "false" or "FALSE" or "False":
                    return false;
                default:
                    Error($"'{value}' is not a boolean (true or false)");
                    return null;
            }
        }

        public TimeSpan? Duration(TimeSpan min, TimeSpan max)
        {
            if (!GoDuration.TryParse(value, out var v, out var problem))
            {
                Error(problem!);
                return null;
            }

            if (v < min || v > max)
            {
                Error($"{value} is outside {min.TotalSeconds}s-{max.TotalSeconds}s");
                return null;
            }

            return v;
        }

        public TimeSpan? Window(bool specSetsIt, string specField)
        {
            var v = Duration(TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
            if (v is not null && specSetsIt)
            {
                Error($"{specField} is also set; the spec field wins");
                return null;
            }

            return v;
        }

        private void Error(string problem) => errors.Add($"annotation {key}: {problem}");
    }
}
