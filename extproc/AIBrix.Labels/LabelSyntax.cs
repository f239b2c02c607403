namespace AIBrix.Labels;

/// <summary>What Kubernetes accepts as a label key and value.</summary>
public static class LabelSyntax
{
    /// <summary>A label key: an optional DNS prefix (letters, digits, <c>-</c>, <c>.</c>) and <c>/</c>, then a name.</summary>
    public static bool IsKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        int slash = key.LastIndexOf('/');
        string name = slash < 0 ? key : key[(slash + 1)..];
        return IsName(name) && (slash < 0 || (slash > 0 && key[..slash].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.')));
    }

    /// <summary>A label name or non-empty value: 1-63 of <c>[A-Za-z0-9-_.]</c>, starting and ending alphanumeric.</summary>
    public static bool IsName(string s) =>
        s.Length is > 0 and <= 63
        && char.IsAsciiLetterOrDigit(s[0])
        && char.IsAsciiLetterOrDigit(s[^1])
        && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
