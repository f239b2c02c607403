namespace AIBrix.Autoscaling;

/// <summary>The range checks shared by <see cref="AutoscalerSettings.Validate"/> and the annotation reader.</summary>
internal static class SettingsChecks
{
    /// <summary>Adds an error unless <paramref name="value"/> lies in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static bool Range(string name, double value, double min, double max, List<string> errors)
    {
        if (double.IsFinite(value) && value >= min && value <= max)
        {
            return true;
        }

        errors.Add($"{name} {value} is outside {min}-{max}");
        return false;
    }

    /// <summary>Adds an error unless a rate is missing or a finite number above 1 (a rate of 1 could never scale).</summary>
    public static bool Rate(string name, double? value, List<string> errors)
    {
        if (value is null || (double.IsFinite(value.Value) && value > 1 && value <= 1000))
        {
            return true;
        }

        errors.Add($"{name} {value} must be above 1 and at most 1000");
        return false;
    }

    /// <summary>Adds an error unless <paramref name="value"/> lies in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static bool Window(string name, TimeSpan value, TimeSpan min, TimeSpan max, List<string> errors)
    {
        if (value >= min && value <= max)
        {
            return true;
        }

        errors.Add($"{name} {value.TotalSeconds}s is outside {min.TotalSeconds}s-{max.TotalSeconds}s");
        return false;
    }
}
