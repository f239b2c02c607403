using System.Globalization;
using System.Text;

namespace AIBrix.Controllers.Tests.Charts.Rendering;

/// <summary>
/// Values as Helm's templates see them. Values files become Go's <c>map[string]interface{}</c> through JSON, so every
/// number there is a float64 (<see cref="double"/>); integer constants in templates and the results of <c>int</c> and
/// <c>len</c> are Go ints (<see cref="long"/>). Maps are <see cref="Dictionary{TKey,TValue}"/>, lists <see cref="List{T}"/>.
/// </summary>
internal static class GoValues
{
    /// <summary>Go's <c>if</c>: false for nil, false, 0, and empty strings, maps and lists.</summary>
    public static bool Truth(object? value) => value switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        Dictionary<string, object?> m => m.Count > 0,
        List<object?> l => l.Count > 0,
        _ => true,
    };

    /// <summary>Go's kind names, as <c>kindOf</c> and error messages use them.</summary>
    public static string Kind(object? value) => value switch
    {
        null => "invalid",
        bool => "bool",
        long => "int",
        double => "float64",
        string => "string",
        Dictionary<string, object?> => "map",
        List<object?> => "slice",
        _ => value.GetType().Name,
    };

    /// <summary><c>fmt.Sprint</c> of one value (<c>%v</c>); nil prints "&lt;no value&gt;", which Helm then erases.</summary>
    public static string Print(object? value) => value switch
    {
        null => "<no value>",
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FormatFloat(d),
        string s => s,
        Dictionary<string, object?> m => "map[" + string.Join(" ", m.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + ":" + PrintInner(kv.Value))) + "]",
        List<object?> l => "[" + string.Join(" ", l.Select(PrintInner)) + "]",
        _ => value.ToString() ?? "",
    };

    private static string PrintInner(object? value) => value is null ? "<nil>" : Print(value);

    /// <summary>
    /// Go's <c>%v</c> of a float64: the shortest digits that round-trip, in <c>%e</c> form when the exponent is below -4
    /// or at least 6 (so a values-file 1000000 prints as "1e+06", the well-known Helm surprise).
    /// </summary>
    public static string FormatFloat(double d)
    {
        if (double.IsNaN(d))
        {
            return "NaN";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? "+Inf" : "-Inf";
        }

        if (d == 0)
        {
            return double.IsNegative(d) ? "-0" : "0";
        }

        var (digits, point) = ShortestDigits(Math.Abs(d));
        string sign = d < 0 ? "-" : "";
        int exponent = point - 1;
        if (exponent < -4 || exponent >= 6)
        {
            string mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
            return $"{sign}{mantissa}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
        }

        return sign + (point <= 0 ? "0." + new string('0', -point) + digits
            : point >= digits.Length ? digits + new string('0', point - digits.Length)
            : digits[..point] + "." + digits[point..]);
    }

    /// <summary>The shortest round-trip decimal digits of a positive double and where the decimal point goes.</summary>
    public static (string Digits, int Point) ShortestDigits(double d)
    {
        string r = d.ToString("R", CultureInfo.InvariantCulture);
        int exponent = 0;
        int e = r.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture);
            r = r[..e];
        }

        int dot = r.IndexOf('.');
        string digits = dot < 0 ? r : r.Remove(dot, 1);
        int point = (dot < 0 ? r.Length : dot) + exponent;
        int lead = digits.Length - digits.TrimStart('0').Length;
        digits = digits.TrimStart('0');
        point -= lead;
        digits = digits.TrimEnd('0');
        return (digits.Length == 0 ? "0" : digits, point);
    }

    /// <summary>Go's <c>%q</c>: a double-quoted string with Go escapes.</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var rune in s.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case < 0x20 or 0x7f: sb.Append(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}"); break;
                default: sb.Append(rune.ToString()); break;
            }
        }

        return sb.Append('"').ToString();
    }

    /// <summary>
    /// Go's <c>eq</c> for one pair: values of the same basic kind compare; nil against anything is unequal; an int
    /// against a float64 (a values-file number against a template constant) is an error, as in Helm.
    /// </summary>
    public static bool Equal(object? a, object? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        return (a, b) switch
        {
            (bool x, bool y) => x == y,
            (long x, long y) => x == y,
            (double x, double y) => x == y,
            (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
            _ when Kind(a) == Kind(b) => throw new TemplateException($"error calling eq: non-comparable type {Kind(a)}"),
            _ => throw new TemplateException($"error calling eq: incompatible types for comparison ({Kind(a)} and {Kind(b)})"),
        };
    }

    /// <summary>Go's <c>lt</c>: ints, floats and strings, each only against its own kind.</summary>
    public static int Compare(object? a, object? b, string function) => (a, b) switch
    {
        (long x, long y) => x.CompareTo(y),
        (double x, double y) => x.CompareTo(y),
        (string x, string y) => string.CompareOrdinal(x, y),
        _ => throw new TemplateException($"error calling {function}: incompatible types for comparison ({Kind(a)} and {Kind(b)})"),
    };

    /// <summary>Sprig's <c>empty</c> (and what <c>default</c> replaces).</summary>
    public static bool Empty(object? value) => !Truth(value);

    /// <summary>Sprig's <c>int</c> (spf13/cast): floats truncate, strings parse, nil is 0.</summary>
    public static long ToInt(object? value) => value switch
    {
        null => 0,
        long l => l,
        double d => (long)d,
        bool b => b ? 1 : 0,
        string s when s.Length == 0 => 0,
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l) => l,
        _ => throw new TemplateException($"error calling int: unable to cast {Print(value)} of type {Kind(value)} to int"),
    };

    /// <summary>A deep copy of maps and lists (Sprig's <c>deepCopy</c>); scalars are immutable.</summary>
    public static object? DeepCopy(object? value) => value switch
    {
        Dictionary<string, object?> m => m.ToDictionary(kv => kv.Key, kv => DeepCopy(kv.Value), StringComparer.Ordinal),
        List<object?> l => l.Select(DeepCopy).ToList(),
        _ => value,
    };
}
