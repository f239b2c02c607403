namespace AIBrix.Labels;

/// <summary>The string syntax of <see cref="LabelSelector"/>; every failure is a sentence naming the bad part.</summary>
internal static class LabelSelectorParser
{
    public static bool TryParse(string text, out LabelRequirement[] requirements, out string? error)
    {
        requirements = [];
        var list = new List<LabelRequirement>();
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

            list.Add(requirement!);
        }

        if (list.Count == 0)
        {
            error = "empty selector";
            return false;
        }

        requirements = [.. list];
        error = null;
        return true;
    }

    private static bool TryParseRequirement(string item, out LabelRequirement? requirement, out string? error)
    {
        if (item[0] == '!')
        {
            return Make(item[1..], LabelOperator.DoesNotExist, [], out requirement, out error);
        }

        int ne = item.IndexOf("!=", StringComparison.Ordinal);
        if (ne > 0)
        {
            return Make(item[..ne], LabelOperator.NotEquals, [item[(ne + 2)..]], out requirement, out error);
        }

        int eq = item.IndexOf('=', StringComparison.Ordinal);
        if (eq == 0)
        {
            requirement = null;
            error = $"'{item}' has no key";
            return false;
        }

        if (eq > 0)
        {
            int valueAt = eq + 1 < item.Length && item[eq + 1] == '=' ? eq + 2 : eq + 1;
            return Make(item[..eq], LabelOperator.Equals, [item[valueAt..]], out requirement, out error);
        }

        int space = item.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            return Make(item, LabelOperator.Exists, [], out requirement, out error);
        }

        return TryParseSet(item, item[..space], item[space..].TrimStart(), out requirement, out error);
    }

    // "key in (a,b)" and "key notin (a,b)", after the key.
    private static bool TryParseSet(string item, string key, string rest, out LabelRequirement? requirement, out string? error)
    {
        requirement = null;
        LabelOperator op;
        if (rest.StartsWith("notin", StringComparison.Ordinal))
        {
            op = LabelOperator.NotIn;
            rest = rest[5..].Trim();
        }
        else if (rest.StartsWith("in", StringComparison.Ordinal))
        {
            op = LabelOperator.In;
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
        if (values.Any(v => !LabelSyntax.IsName(v)))
        {
            error = $"'{item}': empty or invalid value in the set";
            return false;
        }

        return Make(key, op, values, out requirement, out error);
    }

    // The text form is checked as Kubernetes checks it: a label key, and label values (empty only after = or !=).
    private static bool Make(string key, LabelOperator op, string[] values, out LabelRequirement? requirement, out string? error)
    {
        key = key.Trim();
        requirement = null;
        if (!LabelSyntax.IsKey(key))
        {
            error = $"'{key}' is not a valid label key";
            return false;
        }

        for (int i = 0; i < values.Length; i++)
        {
            values[i] = values[i].Trim();
            if (!LabelSyntax.IsName(values[i]) && !(values[i].Length == 0 && op is LabelOperator.Equals or LabelOperator.NotEquals))
            {
                error = $"'{values[i]}' is not a valid label value";
                return false;
            }
        }

        return LabelRequirement.TryCreate(key, op, values, out requirement, out error);
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
}
