using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;

namespace AIBrix.Controllers.Tests.Charts.Rendering;

/// <summary>
/// Go's template builtins, the Sprig functions and Helm's own (<c>include</c>, <c>required</c>, <c>fail</c>,
/// <c>lookup</c>, <c>toYaml</c>) the chart uses, each with Helm's semantics. A function not listed here fails the
/// parse, which keeps the chart to what these tests can render faithfully.
/// </summary>
internal sealed class TemplateFunctions
{
    private const string AlphaNum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private readonly FrozenDictionary<string, Func<object?[], TemplateExecutor, object?>> _table;
    private readonly Random _random;
    private readonly Func<string, string, string, string, Dictionary<string, object?>?> _lookup;

    /// <param name="seed">Seeds <c>randAlphaNum</c>, so a test's render is repeatable.</param>
    /// <param name="lookup">Answers <c>lookup apiVersion kind namespace name</c>; null means "not found" (an empty map, as
    /// <c>helm template</c> and a first install see).</param>
    public TemplateFunctions(int seed = 1, Func<string, string, string, string, Dictionary<string, object?>?>? lookup = null)
    {
        _random = new Random(seed);
        _lookup = lookup ?? ((_, _, _, _) => null);
        _table = new Dictionary<string, Func<object?[], TemplateExecutor, object?>>
        {
            // Go builtins
            ["and"] = (_, _) => throw new InvalidOperationException("and is evaluated lazily by the executor"),
            ["or"] = (_, _) => throw new InvalidOperationException("or is evaluated lazily by the executor"),
            ["not"] = (a, _) => !GoValues.Truth(One(a, "not")),
            ["eq"] = (a, _) => AtLeast(a, 2, "eq").Skip(1).Any(b => GoValues.Equal(a[0], b)),
            ["ne"] = (a, _) => !GoValues.Equal(Exactly(a, 2, "ne")[0], a[1]),
            ["lt"] = (a, _) => GoValues.Compare(Exactly(a, 2, "lt")[0], a[1], "lt") < 0,
            ["le"] = (a, _) => GoValues.Compare(Exactly(a, 2, "le")[0], a[1], "le") <= 0,
            ["gt"] = (a, _) => GoValues.Compare(Exactly(a, 2, "gt")[0], a[1], "gt") > 0,
            ["ge"] = (a, _) => GoValues.Compare(Exactly(a, 2, "ge")[0], a[1], "ge") >= 0,
            ["len"] = (a, _) => Length(One(a, "len")),
            ["index"] = (a, _) => Index(a),
            ["print"] = (a, _) => Sprint(a),
            ["printf"] = (a, _) => GoFormat.Sprintf(Text(AtLeast(a, 1, "printf")[0], "printf"), a[1..]),

            // Helm
            ["include"] = (a, e) => e.Include(Text(Exactly(a, 2, "include")[0], "include"), a[1]),
            ["required"] = (a, _) => Required(a),
            ["fail"] = (a, _) => throw new TemplateException(Text(One(a, "fail"), "fail")),
            ["lookup"] = (a, _) => _lookup(Text(Exactly(a, 4, "lookup")[0], "lookup"), Text(a[1], "lookup"), Text(a[2], "lookup"), Text(a[3], "lookup"))
                ?? new Dictionary<string, object?>(StringComparer.Ordinal),
            ["toYaml"] = (a, _) => HelmYaml.ToYaml(One(a, "toYaml")),

            // Sprig: values
            ["default"] = (a, _) => AtLeast(a, 1, "default").Length == 1 || GoValues.Empty(a[1]) ? a[0] : a[1],
            ["empty"] = (a, _) => GoValues.Empty(One(a, "empty")),
            ["coalesce"] = (a, _) => a.FirstOrDefault(v => !GoValues.Empty(v)),
            ["ternary"] = (a, _) => GoValues.Truth(Exactly(a, 3, "ternary")[2]) ? a[0] : a[1],
            ["int"] = (a, _) => GoValues.ToInt(One(a, "int")),
            ["toString"] = (a, _) => Str(One(a, "toString")),
            ["kindIs"] = (a, _) => Text(Exactly(a, 2, "kindIs")[0], "kindIs") == GoValues.Kind(a[1]),
            ["list"] = (a, _) => a.ToList(),
            ["dict"] = (a, _) => Dict(a),
            ["hasKey"] = (a, _) => Map(Exactly(a, 2, "hasKey")[0], "hasKey").ContainsKey(Text(a[1], "hasKey")),
            ["get"] = (a, _) => Map(Exactly(a, 2, "get")[0], "get").GetValueOrDefault(Text(a[1], "get")) ?? "",
            ["set"] = (a, _) => Set(Exactly(a, 3, "set")),
            ["unset"] = (a, _) => Unset(Exactly(a, 2, "unset")),
            ["omit"] = (a, _) => Map(AtLeast(a, 1, "omit")[0], "omit").Where(kv => !a.Skip(1).Contains(kv.Key)).ToDictionary(StringComparer.Ordinal),
            ["deepCopy"] = (a, _) => GoValues.DeepCopy(One(a, "deepCopy")),
            ["keys"] = (a, _) => a.SelectMany(m => Map(m, "keys").Keys).Cast<object?>().ToList(),
            ["sortAlpha"] = (a, _) => List(One(a, "sortAlpha"), "sortAlpha").Select(Str).Order(StringComparer.Ordinal).Cast<object?>().ToList(),

            // Sprig: strings
            ["quote"] = (a, _) => string.Join(" ", a.Where(v => v is not null).Select(v => GoValues.Quote(Str(v)))),
            ["squote"] = (a, _) => string.Join(" ", a.Where(v => v is not null).Select(v => "'" + Str(v) + "'")),
            ["join"] = (a, _) => string.Join(Text(Exactly(a, 2, "join")[0], "join"), List(a[1], "join").Select(Str)),
            ["contains"] = (a, _) => Text(Exactly(a, 2, "contains")[1], "contains").Contains(Text(a[0], "contains"), StringComparison.Ordinal),
            ["hasPrefix"] = (a, _) => Text(Exactly(a, 2, "hasPrefix")[1], "hasPrefix").StartsWith(Text(a[0], "hasPrefix"), StringComparison.Ordinal),
            ["hasSuffix"] = (a, _) => Text(Exactly(a, 2, "hasSuffix")[1], "hasSuffix").EndsWith(Text(a[0], "hasSuffix"), StringComparison.Ordinal),
            ["trimSuffix"] = (a, _) => TrimSuffix(Text(Exactly(a, 2, "trimSuffix")[1], "trimSuffix"), Text(a[0], "trimSuffix")),
            ["trimPrefix"] = (a, _) => TrimPrefix(Text(Exactly(a, 2, "trimPrefix")[1], "trimPrefix"), Text(a[0], "trimPrefix")),
            ["trim"] = (a, _) => Str(One(a, "trim")).Trim(),
            ["trunc"] = (a, _) => Trunc(GoValues.ToInt(Exactly(a, 2, "trunc")[0]), Str(a[1])),
            ["replace"] = (a, _) => Str(Exactly(a, 3, "replace")[2]).Replace(Str(a[0]), Str(a[1]), StringComparison.Ordinal),
            ["lower"] = (a, _) => Str(One(a, "lower")).ToLowerInvariant(),
            ["upper"] = (a, _) => Str(One(a, "upper")).ToUpperInvariant(),
            ["indent"] = (a, _) => Indent(GoValues.ToInt(Exactly(a, 2, "indent")[0]), Str(a[1])),
            ["nindent"] = (a, _) => "\n" + Indent(GoValues.ToInt(Exactly(a, 2, "nindent")[0]), Str(a[1])),
            ["b64enc"] = (a, _) => Convert.ToBase64String(Encoding.UTF8.GetBytes(Str(One(a, "b64enc")))),
            ["b64dec"] = (a, _) => Encoding.UTF8.GetString(Convert.FromBase64String(Str(One(a, "b64dec")))),
            ["sha256sum"] = (a, _) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Str(One(a, "sha256sum"))))),
            ["randAlphaNum"] = (a, _) => new string(Enumerable.Range(0, (int)GoValues.ToInt(One(a, "randAlphaNum"))).Select(_ => AlphaNum[_random.Next(AlphaNum.Length)]).ToArray()),
        }.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public bool Exists(string name) => _table.ContainsKey(name);

    public object? Call(string name, object?[] arguments, TemplateExecutor executor) => _table[name](arguments, executor);

    /// <summary>Sprig's <c>strval</c>: strings as they are, anything else as <c>%v</c> prints it.</summary>
    public static string Str(object? value) => value switch
    {
        string s => s,
        null => "",
        _ => GoValues.Print(value),
    };

    private static object? One(object?[] a, string name) => Exactly(a, 1, name)[0];

    private static object?[] Exactly(object?[] a, int n, string name) =>
        a.Length == n ? a : throw new TemplateException($"wrong number of args for {name}: want {n} got {a.Length}");

    private static object?[] AtLeast(object?[] a, int n, string name) =>
        a.Length >= n ? a : throw new TemplateException($"wrong number of args for {name}: want at least {n} got {a.Length}");

    private static string Text(object? value, string name) =>
        value as string ?? throw new TemplateException($"error calling {name}: expected string; found {GoValues.Print(value)} ({GoValues.Kind(value)})");

    private static Dictionary<string, object?> Map(object? value, string name) =>
        value as Dictionary<string, object?> ?? throw new TemplateException($"error calling {name}: expected a map; found {GoValues.Kind(value)}");

    private static List<object?> List(object? value, string name) => value switch
    {
        List<object?> list => list,
        null => [],
        _ => throw new TemplateException($"error calling {name}: expected a list; found {GoValues.Kind(value)}"),
    };

    private static long Length(object? value) => value switch
    {
        string s => Encoding.UTF8.GetByteCount(s),
        List<object?> l => l.Count,
        Dictionary<string, object?> m => m.Count,
        _ => throw new TemplateException($"error calling len: len of type {GoValues.Kind(value)}"),
    };

    private static object? Index(object?[] a)
    {
        object? value = AtLeast(a, 1, "index")[0];
        foreach (var key in a[1..])
        {
            value = (value, key) switch
            {
                (Dictionary<string, object?> m, string k) => m.GetValueOrDefault(k),
                (List<object?> l, long i) when i >= 0 && i < l.Count => l[(int)i],
                (List<object?>, long i) => throw new TemplateException($"error calling index: index out of range: {i}"),
                (null, _) => throw new TemplateException("error calling index: index of untyped nil"),
                _ => throw new TemplateException($"error calling index: cannot index {GoValues.Kind(value)} with {GoValues.Kind(key)}"),
            };
        }

        return value;
    }

    /// <summary>Go's <c>fmt.Sprint</c>: a space between operands when neither side is a string.</summary>
    private static string Sprint(object?[] a)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < a.Length; i++)
        {
            if (i > 0 && a[i] is not string && a[i - 1] is not string)
            {
                sb.Append(' ');
            }

            sb.Append(a[i] is null ? "<nil>" : GoValues.Print(a[i]));
        }

        return sb.ToString();
    }

    private static object? Required(object?[] a)
    {
        var value = Exactly(a, 2, "required")[1];
        return value is null or "" ? throw new TemplateException(Text(a[0], "required")) : value;
    }

    private static Dictionary<string, object?> Dict(object?[] a)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (int i = 0; i < a.Length; i += 2)
        {
            map[Str(a[i])] = i + 1 < a.Length ? a[i + 1] : "";
        }

        return map;
    }

    private static Dictionary<string, object?> Set(object?[] a)
    {
        var map = Map(a[0], "set");
        map[Text(a[1], "set")] = a[2];
        return map;
    }

    private static Dictionary<string, object?> Unset(object?[] a)
    {
        var map = Map(a[0], "unset");
        map.Remove(Text(a[1], "unset"));
        return map;
    }

    private static string TrimSuffix(string s, string suffix) => suffix.Length > 0 && s.EndsWith(suffix, StringComparison.Ordinal) ? s[..^suffix.Length] : s;

    private static string TrimPrefix(string s, string prefix) => prefix.Length > 0 && s.StartsWith(prefix, StringComparison.Ordinal) ? s[prefix.Length..] : s;

    /// <summary>Sprig's <c>trunc</c>: a negative count keeps the end.</summary>
    private static string Trunc(long n, string s) => n switch
    {
        < 0 when s.Length + n > 0 => s[(int)(s.Length + n)..],
        < 0 => s,
        _ when s.Length > n => s[..(int)n],
        _ => s,
    };

    /// <summary>Sprig's <c>indent</c>: every line, empty ones too, gets the padding.</summary>
    private static string Indent(long n, string s)
    {
        string pad = new(' ', (int)n);
        return pad + s.Replace("\n", "\n" + pad, StringComparison.Ordinal);
    }
}
