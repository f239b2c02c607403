using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AIBrix.Controllers.Tests.Charts.Rendering;

/// <summary>
/// YAML in and out the way Helm does it (sigs.k8s.io/yaml over go-yaml v2): values are read with YAML 1.1 scalar rules
/// (<c>yes</c>/<c>on</c> are booleans, <c>0755</c> is octal) and pass through JSON, so numbers become float64;
/// <c>toYaml</c> writes keys sorted, lists at their key's indent, and quotes strings that would read back as another type.
/// </summary>
internal static partial class HelmYaml
{
    public static object? Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 0 ? null : FromNode(stream.Documents[0].RootNode);
    }

    public static object? FromNode(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(kv => Key((YamlScalarNode)kv.Key), kv => FromNode(kv.Value), StringComparer.Ordinal),
        YamlSequenceNode list => list.Children.Select(FromNode).ToList(),
        YamlScalarNode { Style: ScalarStyle.Plain } scalar => Resolve(scalar.Value ?? ""),
        YamlScalarNode scalar => scalar.Value ?? "",
        _ => throw new TemplateException($"unsupported YAML node {node.NodeType}"),
    };

    /// <summary>A key as JSON makes it: a plain <c>on</c> or <c>1</c> is a bool or number first, then its text.</summary>
    private static string Key(YamlScalarNode key) => key.Style != ScalarStyle.Plain ? key.Value ?? "" : Resolve(key.Value ?? "") switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        double d => JsonNumber(d),
        var other => (string)other,
    };

    /// <summary>go-yaml v2's resolution of a plain scalar, then JSON's: every number is a float64.</summary>
    public static object? Resolve(string plain)
    {
        switch (plain)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "y" or "Y" or "yes" or "Yes" or "YES" or "true" or "True" or "TRUE" or "on" or "On" or "ON":
                return true;
            case "n" or "N" or "no" or "No" or "NO" or "false" or "False" or "FALSE" or "off" or "Off" or "OFF":
                return false;
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                return double.PositiveInfinity;
            case "-.inf" or "-.Inf" or "-.INF":
                return double.NegativeInfinity;
            case ".nan" or ".NaN" or ".NAN":
                return double.NaN;
        }

        if (IntegerSyntax().IsMatch(plain))
        {
            string digits = plain.Replace("_", "", StringComparison.Ordinal);
            bool negative = digits.StartsWith('-');
            string body = digits.TrimStart('+', '-');
            long value = body.StartsWith("0x", StringComparison.Ordinal) ? Convert.ToInt64(body[2..], 16)
                : body.StartsWith("0b", StringComparison.Ordinal) ? Convert.ToInt64(body[2..], 2)
                : body.Length > 1 && body[0] == '0' ? Convert.ToInt64(body, 8)
                : long.Parse(body, CultureInfo.InvariantCulture);
            return (double)(negative ? -value : value);
        }

        return FloatSyntax().IsMatch(plain)
            ? double.Parse(plain.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture)
            : plain;
    }

    /// <summary>Helm's <c>toYaml</c>: the YAML without its final newline; nil is "null".</summary>
    public static string ToYaml(object? value)
    {
        var sb = new StringBuilder();
        Write(sb, value, 0, inList: false);
        return sb.ToString().TrimEnd('\n');
    }

    private static void Write(StringBuilder sb, object? value, int indent, bool inList)
    {
        switch (value)
        {
            case Dictionary<string, object?> { Count: > 0 } map:
                bool first = true;
                foreach (var (key, item) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    if (!(first && inList))
                    {
                        sb.Append(' ', indent);
                    }

                    first = false;
                    sb.Append(Scalar(key)).Append(':');
                    if (item is Dictionary<string, object?> { Count: > 0 })
                    {
                        sb.Append('\n');
                        Write(sb, item, indent + 2, inList: false);
                    }
                    else if (item is List<object?> { Count: > 0 })
                    {
                        sb.Append('\n');
                        Write(sb, item, indent, inList: false); // go-yaml v2: a list sits at its key's indent
                    }
                    else
                    {
                        sb.Append(' ').Append(Inline(item)).Append('\n');
                    }
                }

                break;
            case List<object?> { Count: > 0 } list:
                foreach (var item in list)
                {
                    sb.Append(' ', indent).Append("- ");
                    if (item is Dictionary<string, object?> { Count: > 0 } or List<object?> { Count: > 0 })
                    {
                        Write(sb, item, indent + 2, inList: true);
                    }
                    else
                    {
                        sb.Append(Inline(item)).Append('\n');
                    }
                }

                break;
            default:
                sb.Append(' ', inList ? 0 : indent).Append(Inline(value)).Append('\n');
                break;
        }
    }

    private static string Inline(object? value) => value switch
    {
        null => "null",
        Dictionary<string, object?> => "{}",
        List<object?> => "[]",
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => JsonNumber(d),
        string s => Scalar(s),
        _ => Scalar(GoValues.Print(value)),
    };

    /// <summary>A float64 as encoding/json writes it (integers without a point), which go-yaml then keeps.</summary>
    private static string JsonNumber(double d)
    {
        if (d == Math.Floor(d) && Math.Abs(d) < 1e21)
        {
            return d.ToString("F0", CultureInfo.InvariantCulture);
        }

        return d.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);
    }

    /// <summary>A string plain when it reads back as the same string, else double-quoted with escapes.</summary>
    private static string Scalar(string s)
    {
        bool plain = s.Length > 0
            && Resolve(s) is string
            && !char.IsWhiteSpace(s[0]) && !char.IsWhiteSpace(s[^1])
            && "-?:,[]{}#&*!|>'\"%@`".IndexOf(s[0], StringComparison.Ordinal) < 0
            && !s.Contains(": ", StringComparison.Ordinal) && !s.Contains(" #", StringComparison.Ordinal) && !s.EndsWith(':')
            && s.All(c => c >= ' ' && c != '\x7f');
        return plain ? s : Json(s);
    }

    private static string Json(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in s)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }

    [GeneratedRegex(@"^[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)$")]
    private static partial Regex IntegerSyntax();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatSyntax();
}
