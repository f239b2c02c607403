using System.Globalization;

namespace AIBrix.EngineMetrics;

/// <summary>Sample values and timestamps as the exposition format writes them (Go's float syntax).</summary>
public static class PrometheusNumber
{
    /// <summary>
    /// Parses a sample value: decimal or scientific notation, <c>NaN</c>, <c>+Inf</c>, <c>Inf</c>, <c>-Inf</c>
    /// (case-insensitive, as Go's <c>strconv.ParseFloat</c> accepts them).
    /// </summary>
    public static bool TryParseValue(ReadOnlySpan<char> text, out double value)
    {
        if (text.Length is >= 3 and <= 4)
        {
            if (text.Equals("+Inf", StringComparison.OrdinalIgnoreCase) || text.Equals("Inf", StringComparison.OrdinalIgnoreCase))
            {
                value = double.PositiveInfinity;
                return true;
            }

            if (text.Equals("-Inf", StringComparison.OrdinalIgnoreCase))
            {
                value = double.NegativeInfinity;
                return true;
            }

            if (text.Equals("NaN", StringComparison.OrdinalIgnoreCase))
            {
                value = double.NaN;
                return true;
            }
        }

        const NumberStyles style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        return double.TryParse(text, style, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Parses a timestamp in milliseconds since the epoch (an integer, may be negative).</summary>
    public static bool TryParseTimestamp(ReadOnlySpan<char> text, out long milliseconds) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out milliseconds);
}
