using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;

namespace AIBrix.Cli;

/// <summary>
/// Options whose parsers say in one line what is wrong with a value (<c>--port: 'x' is not a port
/// (0-65535)</c>) instead of naming a CLR type. Each option is new: add it to one command only.
/// </summary>
public static class CliOptions
{
    /// <summary>A TCP port, 0-65535 (0 lets the OS pick a free one).</summary>
    public static Option<int> Port(string name, int defaultValue, string description) =>
        new(name)
        {
            Description = description,
            HelpName = "PORT",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r => Parse(r, defaultValue, text =>
                int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port <= 65535 ? port : null,
                "is not a port (0-65535)"),
        };

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<int> Int(string name, int defaultValue, string description, int min = int.MinValue, int max = int.MaxValue, string helpName = "N") =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r => Parse(r, defaultValue, text =>
                int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max ? n : null,
                Range("a whole number", min, max, int.MinValue, int.MaxValue)),
        };

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, 64-bit.</summary>
    public static Option<long> Long(string name, long defaultValue, string description, long min = long.MinValue, long max = long.MaxValue, string helpName = "N") =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r => Parse(r, defaultValue, text =>
                long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) && n >= min && n <= max ? n : null,
                Range("a whole number", min, max, long.MinValue, long.MaxValue)),
        };

    /// <summary>A finite number; with <paramref name="positive"/>, greater than zero; with <paramref name="min"/>, at least that.</summary>
    public static Option<double> Double(string name, double defaultValue, string description, bool positive = false, double min = double.NegativeInfinity, string helpName = "X") =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r => Parse(r, defaultValue, text =>
                double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x) && (!positive || x > 0) && x >= min ? x : null,
                positive ? "is not a positive number" : double.IsNegativeInfinity(min) ? "is not a number" : $"is not a number of at least {min.ToString(CultureInfo.InvariantCulture)}"),
        };

    /// <summary>One of <paramref name="values"/> (case-insensitive), returned as listed.</summary>
    public static Option<string> Choice(string name, string defaultValue, string description, params string[] values) =>
        new(name)
        {
            Description = description,
            HelpName = string.Join('|', values),
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r => Parse(r, defaultValue, text => values.FirstOrDefault(v => string.Equals(v, text, StringComparison.OrdinalIgnoreCase)),
                "is not " + OneOf(values)),
        };

    /// <summary>An IP address to bind, or <c>localhost</c>.</summary>
    public static Option<string> Address(string name, string defaultValue, string description) =>
        new(name)
        {
            Description = description,
            HelpName = "ADDRESS",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r => Parse(r, defaultValue, text => text == "localhost" || IPAddress.TryParse(text, out _) ? text : null, "is not an IP address"),
        };

    /// <summary>An absolute http:// or https:// URL; null when the option is not given.</summary>
    public static Option<Uri?> Url(string name, string description, string helpName = "URL") =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = r =>
            {
                string text = Text(r);
                // Scheme checked too: on Unix "/path" parses as an absolute file:// URI.
                if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                {
                    return uri;
                }

                Fail(r, text, "is not an http:// or https:// URL");
                return null;
            },
        };

    /// <summary>
    /// A comma-separated list (<c>a,b</c>); the option may also be repeated, and the lists add up. Empty
    /// entries are dropped. Defaults to empty.
    /// </summary>
    public static Option<string[]> List(string name, string description, string helpName, params string[] aliases) =>
        new(name, aliases)
        {
            Description = description,
            HelpName = helpName,
            DefaultValueFactory = _ => [],
            CustomParser = r => [.. r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
        };

    /// <summary>"a, b or c".</summary>
    public static string OneOf(IReadOnlyList<string> values) =>
        values.Count <= 1 ? string.Join("", values) : string.Join(", ", values.Take(values.Count - 1)) + " or " + values[^1];

    private static T Parse<T>(ArgumentResult result, T fallback, Func<string, T?> convert, string problem)
        where T : struct
    {
        string text = Text(result);
        if (convert(text) is { } value)
        {
            return value;
        }

        Fail(result, text, problem);
        return fallback;
    }

    private static string Parse(ArgumentResult result, string fallback, Func<string, string?> convert, string problem)
    {
        string text = Text(result);
        if (convert(text) is { } value)
        {
            return value;
        }

        Fail(result, text, problem);
        return fallback;
    }

    private static string Text(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[0].Value : "";

    private static void Fail(ArgumentResult result, string text, string problem)
    {
        string name = result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
        result.AddError($"{name}: '{text}' {problem}");
    }

    private static string Range<T>(string what, T min, T max, T lowest, T highest)
        where T : IEquatable<T>, IFormattable =>
        (min.Equals(lowest), max.Equals(highest)) switch
        {
            (true, true) => $"is not {what}",
            (false, true) => $"is not {what} of at least {min.ToString(null, CultureInfo.InvariantCulture)}",
            (true, false) => $"is not {what} of at most {max.ToString(null, CultureInfo.InvariantCulture)}",
            _ => $"is not {what} from {min.ToString(null, CultureInfo.InvariantCulture)} to {max.ToString(null, CultureInfo.InvariantCulture)}",
        };
}
