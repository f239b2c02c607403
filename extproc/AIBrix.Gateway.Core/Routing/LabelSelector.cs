using System.Collections.Frozen;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// A Kubernetes-style label selector (the <c>external-filter</c> header): comma-separated requirements,
/// all of which must hold: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>,
/// <c>k</c> (exists) and <c>!k</c> (does not exist). As in Kubernetes, <c>!=</c> and <c>notin</c> also
/// match endpoints without the label. Keys and values are compared case-sensitively.
/// </summary>
public sealed class LabelSelector
{
    private readonly Requirement[] _requirements;

    private LabelSelector(Requirement[] requirements) => _requirements = requirements;

    private enum Op
    {
        Equals,
        NotEquals,
        In,
        NotIn,
        Exists,
        NotExists,
    }

    private sealed record Requirement(string Key, Op Op, FrozenSet<string> Values);

    /// <summary>True when every requirement holds for <paramref name="labels"/>.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        foreach (var r in _requirements)
        {
            bool has = labels.TryGetValue(r.Key, out var value);
            bool ok = r.Op switch
            {
                Op.Exists => has,
                Op.NotExists => !has,
                Op.Equals or Op.In => has && r.Values.Contains(value!),
                _ => !has || !r.Values.Contains(value!),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses a selector; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string text, out LabelSelector? selector, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        selector = null;
        var requirements = new List<Requirement>();
        foreach (var part in SplitTopLevel(text))
        {
            string item = part.Trim();
            if (item.Length == 0)
            {
                error = "empty requirement";
                return false;
            }

            if (!TryParseRequirement(item, out var requirement, out error))
            {
                return false;
            }

            requirements.Add(requirement!);
        }

        if (requirements.Count == 0)
        {
            error = "empty selector";
            return false;
        }

        selector = new LabelSelector([.. requirements]);
        error = null;
        return true;
    }

    private static bool TryParseRequirement(string item, out Requirement? requirement, out string? error)
    {
        requirement = null;
        error = null;
        if (item[0] == '!')
        {
            string key = item[1..].Trim();
            return Make(key, Op.NotExists, [], out requirement, out error);
        }

        int ne = item.IndexOf("!=", StringComparison.Ordinal);
        if (ne > 0)
        {
            return Make(item[..ne], Op.NotEquals, [item[(ne + 2)..]], out requirement, out error);
        }

        int eq = item.IndexOf('=', StringComparison.Ordinal);
        if (eq == 0)
        {
            error = $"'{item}' has no key";
            return false;
        }

        if (eq > 0)
        {
            int valueAt = eq + 1 < item.Length && item[eq + 1] == '=' ? eq + 2 : eq + 1;
            return Make(item[..eq], Op.Equals, [item[valueAt..]], out requirement, out error);
        }

        int space = item.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            return Make(item, Op.Exists, [], out requirement, out error);
        }

        string head = item[..space];
        string rest = item[space..].TrimStart();
        Op op;
        if (rest.StartsWith("notin", StringComparison.Ordinal))
        {
            op = Op.NotIn;
            rest = rest[5..].Trim();
        }
        else if (rest.StartsWith("in", StringComparison.Ordinal))
        {
            op = Op.In;
            rest = rest[2..].Trim();
        }
        else
        {
            error = $"'{item}': expected '=', '==', '!=', 'in' or 'notin'";
            return false;
        }

        if (rest.Length < 2 || rest[0] != '(' || rest[^1] != ')')
        {
            error = $"'{item}': the values of 'in' and 'notin' go in parentheses";
            return false;
        }

        var values = rest[1..^1].Split(',', StringSplitOptions.TrimEntries);
        if (values.Length == 0 || values.Any(v => v.Length == 0 || !IsName(v)))
        {
            error = $"'{item}': empty or invalid value in the set";
            return false;
        }

        return Make(head, op, values, out requirement, out error);
    }

    private static bool Make(string key, Op op, string[] values, out Requirement? requirement, out string? error)
    {
        key = key.Trim();
        requirement = null;
        if (!IsKey(key))
        {
            error = $"'{key}' is not a valid label key";
            return false;
        }

        for (int i = 0; i < values.Length; i++)
        {
            values[i] = values[i].Trim();
            if (!IsName(values[i]) && !(values[i].Length == 0 && op is Op.Equals or Op.NotEquals))
            {
                error = $"'{values[i]}' is not a valid label value";
                return false;
            }
        }

        requirement = new Requirement(key, op, values.ToFrozenSet(StringComparer.Ordinal));
        error = null;
        return true;
    }

    // Commas inside (...) belong to a set, not to the requirement list.
    private static List<string> SplitTopLevel(string text)
    {
        var parts = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
            if (text[i] == ',' && depth == 0)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        parts.Add(text[start..]);
        return parts;
    }

    // Label key: optional DNS prefix and '/', then a name.
    private static bool IsKey(string key)
    {
        int slash = key.LastIndexOf('/');
        string name = slash < 0 ? key : key[(slash + 1)..];
        return IsName(name) && (slash < 0 || (slash > 0 && key[..slash].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.')));
    }

    // Label name or value: 1-63 of [A-Za-z0-9-_.], starting and ending alphanumeric.
    private static bool IsName(string s) =>
        s.Length is > 0 and <= 63
        && char.IsAsciiLetterOrDigit(s[0])
        && char.IsAsciiLetterOrDigit(s[^1])
        && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
