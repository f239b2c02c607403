using System.Globalization;

namespace AIBrix.Autoscaling.Annotations;

/// <summary>
/// Go's duration syntax (time.ParseDuration), which AIBrix's annotations use: a sign, then one or more decimal
/// numbers each with a unit (<c>ns</c>, <c>us</c>, <c>µs</c>, <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>), as in
/// <c>300s</c>, <c>5m</c>, <c>1h30m</c>, <c>1.5s</c>; a bare <c>0</c> is allowed.
/// </summary>
public static class GoDuration
{
    /// <summary>Reads <paramref name="text"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, out TimeSpan value, out string? error)
    {
        value = TimeSpan.Zero;
        error = null;
        var s = (text ?? "").AsSpan().Trim();
        bool negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s is "0")
        {
            return true;
        }

        if (s.IsEmpty)
        {
            error = "empty duration";
            return false;
        }

        double seconds = 0;
        while (!s.IsEmpty)
        {
            int n = 0;
            while (n < s.Length && (char.IsAsciiDigit(s[n]) || s[n] == '.'))
            {
                n++;
            }

            if (n == 0 || !double.TryParse(s[..n], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number))
            {
                error = $"'{text}' is not a duration (e.g. 30s, 5m, 1h30m)";
                return false;
            }

            s = s[n..];
            int u = 0;
            while (u < s.Length && !char.IsAsciiDigit(s[u]) && s[u] != '.')
            {
                u++;
            }

            double? unit = UnitSeconds(s[..u]);
            if (unit is null)
            {
                error = u == 0 ? $"'{text}' has a number without a unit (e.g. {text}s)" : $"'{text}' has an unknown unit '{s[..u]}' (ns, us, ms, s, m, h)";
                return false;
            }

            seconds += number * unit.Value;
            s = s[u..];
        }

        if (seconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            error = $"'{text}' is too long";
            return false;
        }

        value = TimeSpan.FromSeconds(negative ? -seconds : seconds);
        return true;
    }

    private static double? UnitSeconds(ReadOnlySpan<char> unit) => unit switch
    {
        "ns" => 1e-9,
        "us" or "µs" or "μs" => 1e-6,
        "ms" => 1e-3,
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        _ => null,
    };
}
