namespace AIBrix.Gateway.Core.Config;

/// <summary>The one range check of the config readers: a missing value takes the default, one outside the range is an error.</summary>
internal static class ConfigBounds
{
    /// <summary>
    /// <paramref name="value"/> when it lies in [<paramref name="min"/>, <paramref name="max"/>]; <paramref name="fallback"/>
    /// when it is missing, or (after adding "<c>source: name: value is outside min-max</c>" to <paramref name="errors"/>) out of range.
    /// </summary>
    public static int Int(int? value, int fallback, string source, string name, int min, int max, List<string> errors)
    {
        if (value is null)
        {
            return fallback;
        }

        if (value < min || value > max)
        {
            errors.Add($"{source}: {name}: {value} is outside {min}-{max}");
            return fallback;
        }

        return value.Value;
    }
}
