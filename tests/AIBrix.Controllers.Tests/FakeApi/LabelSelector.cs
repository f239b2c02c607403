using System.Text.Json.Nodes;

namespace AIBrix.Controllers.Tests.FakeApi;

/// <summary>The label selector string syntax the API server accepts: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k</c>, <c>!k</c>.</summary>
public sealed class LabelSelector
{
    private readonly List<Func<JsonObject?, bool>> _terms = [];

    /// <summary>Parses a selector; null or empty matches everything.</summary>
    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        foreach (var raw in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (raw.Contains("!=", StringComparison.Ordinal))
            {
                var (k, v) = Split(raw, "!=");
                selector._terms.Add(l => l?[k]?.GetValue<string>() != v);
            }
            else if (raw.Contains('=', StringComparison.Ordinal))
            {
                var (k, v) = Split(raw, raw.Contains("==", StringComparison.Ordinal) ? "==" : "=");
                selector._terms.Add(l => l?[k]?.GetValue<string>() == v);
            }
            else if (raw.StartsWith('!'))
            {
                string k = raw[1..];
                selector._terms.Add(l => l?.ContainsKey(k) != true);
            }
            else
            {
                selector._terms.Add(l => l?.ContainsKey(raw) == true);
            }
        }

        return selector;
    }

    /// <summary>Whether the object's labels satisfy every term.</summary>
    public bool Matches(JsonObject obj)
    {
        var labels = obj["metadata"]?["labels"] as JsonObject;
        return _terms.All(t => t(labels));
    }

    private static (string, string) Split(string raw, string op)
    {
        int at = raw.IndexOf(op, StringComparison.Ordinal);
        return (raw[..at].Trim(), raw[(at + op.Length)..].Trim());
    }
}
