using System.Globalization;

namespace AIBrix.Bench.Replay;

/// <summary>
/// Workloads made on the spot, wherever a trace file is accepted: <c>--trace gen:NAME?key=value&amp;key=value</c>
/// (e.g. <c>gen:shared-prefix?groups=8&amp;system=4096&amp;rate=20</c>, <c>gen:burst?low=2&amp;high=16</c>). Each generator owns its file and its
/// keys; this class only parses the spec and picks the generator.
/// </summary>
public static class GeneratedTrace
{
    /// <summary>What starts a generated trace's spec.</summary>
    public const string Prefix = "gen:";

    /// <summary>Every generator's name, for help and errors.</summary>
    public static IReadOnlyList<string> Names { get; } = [SharedPrefixWorkload.Name, .. LoadShapeWorkload.Names];

    /// <summary>Whether <paramref name="trace"/> names a generated workload rather than a file.</summary>
    public static bool IsSpec(string trace) => trace.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Generates the workload <paramref name="spec"/> names; <see cref="FormatException"/> for a bad spec.</summary>
    public static IReadOnlyList<TraceRequest> Generate(string spec, int? limit)
    {
        var (name, parameters) = Parse(spec);
        var requests = name switch
        {
            SharedPrefixWorkload.Name => SharedPrefixWorkload.Generate(SharedPrefixWorkload.Options.From(parameters)),
            LoadShapeWorkload.Ramp or LoadShapeWorkload.Burst or LoadShapeWorkload.Diurnal =>
                LoadShapeWorkload.Generate(LoadShapeWorkload.Options.From(name, parameters)),
            _ => throw new FormatException($"{spec}: unknown generator '{name}' (known: {string.Join(", ", Names)})"),
        };
        return limit is { } max && requests.Count > max ? [.. requests.Take(max)] : requests;
    }

    /// <summary>Splits <c>gen:NAME?k=v&amp;k=v</c>; keys are case-insensitive, each may appear once.</summary>
    public static (string Name, GeneratorParameters Parameters) Parse(string spec)
    {
        string body = spec[Prefix.Length..];
        int query = body.IndexOf('?', StringComparison.Ordinal);
        string name = (query < 0 ? body : body[..query]).Trim().ToLowerInvariant();
        if (name.Length == 0)
        {
            throw new FormatException($"{spec}: name a generator after 'gen:' (known: {string.Join(", ", Names)})");
        }

        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (query >= 0)
        {
            foreach (string pair in body[(query + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw new FormatException($"{spec}: '{pair}' is not key=value");
                }

                if (!values.TryAdd(pair[..eq].Trim(), pair[(eq + 1)..].Trim()))
                {
                    throw new FormatException($"{spec}: '{pair[..eq]}' is given twice");
                }
            }
        }

        return (name, new GeneratorParameters(spec, values));
    }
}

/// <summary>A generator's <c>key=value</c> pairs; every key must be read, so a typo is an error, not a default.</summary>
public sealed class GeneratorParameters(string spec, Dictionary<string, string> values)
{
    private readonly HashSet<string> _read = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The spec as given, for errors.</summary>
    public string Spec => spec;

    /// <summary>A whole number under <paramref name="name"/> or one of its <paramref name="aliases"/>.</summary>
    public int Int(string name, int fallback, int min, params string[] aliases) =>
        (int)Number(name, fallback, min, aliases, integer: true);

    /// <summary>A number under <paramref name="name"/> or one of its <paramref name="aliases"/>.</summary>
    public double Double(string name, double fallback, double min, params string[] aliases) =>
        Number(name, fallback, min, aliases, integer: false);

    /// <summary>One of <paramref name="choices"/>.</summary>
    public string Choice(string name, string fallback, params string[] choices)
    {
        if (!Take(name, [], out string? text))
        {
            return fallback;
        }

        return choices.FirstOrDefault(c => c.Equals(text, StringComparison.OrdinalIgnoreCase))
            ?? throw new FormatException($"{spec}: {name}={text} is not {string.Join(" or ", choices)}");
    }

    /// <summary>Fails on any key nobody read.</summary>
    public void EnsureAllRead(IEnumerable<string> known)
    {
        var unknown = values.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new FormatException($"{spec}: unknown key(s) {string.Join(", ", unknown)} (known: {string.Join(", ", known)})");
        }
    }

    private double Number(string name, double fallback, double min, string[] aliases, bool integer)
    {
        if (!Take(name, aliases, out string? text))
        {
            return fallback;
        }

        double value;
        bool ok;
        if (integer)
        {
            ok = int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int whole);
            value = whole;
        }
        else
        {
            ok = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
        }

        if (!ok || value < min)
        {
            throw new FormatException($"{spec}: {name}={text} is not a{(integer ? " whole" : "")} number of at least {min.ToString(CultureInfo.InvariantCulture)}");
        }

        return value;
    }

    private bool Take(string name, string[] aliases, out string? text)
    {
        text = null;
        string? found = null;
        foreach (string key in aliases.Prepend(name))
        {
            _read.Add(key);
            if (values.TryGetValue(key, out string? value))
            {
                if (found is not null)
                {
                    throw new FormatException($"{spec}: '{found}' and '{key}' say the same thing; give one");
                }

                found = key;
                text = value;
            }
        }

        return found is not null;
    }
}
