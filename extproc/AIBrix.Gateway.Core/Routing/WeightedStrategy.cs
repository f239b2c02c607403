using System.Globalization;

namespace AIBrix.Gateway.Core.Routing;

/// <summary>
/// Parses a weighted mix, <c>name:weight,name:weight</c> (e.g. <c>prefix-cache:2,least-request:1</c>).
/// Each name must be a scorer; weights are decimals from 0 to 1e6 (0 skips the scorer; a missing
/// <c>:weight</c> means 1); names may not repeat; at least one weight must be above 0.
/// </summary>
internal static class WeightedStrategy
{
    public const double MaxWeight = 1e6;

    /// <summary>Parses <paramref name="spec"/>; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(
        string spec,
        Func<string, IRoutingScorer?> findScorer,
        out (IRoutingScorer Scorer, double Weight)[] parts,
        out string? error)
    {
        parts = [];
        var list = new List<(IRoutingScorer, double)>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in spec.Split(','))
        {
            string item = raw.Trim();
            if (item.Length == 0)
            {
                error = "empty entry in the weighted strategy";
                return false;
            }

            int colon = item.IndexOf(':', StringComparison.Ordinal);
            string name = (colon < 0 ? item : item[..colon]).Trim();
            double weight = 1;
            if (colon >= 0)
            {
                string text = item[(colon + 1)..].Trim();
                if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out weight)
                    || !double.IsFinite(weight) || weight > MaxWeight)
                {
                    error = $"weight '{text}' of '{name}' is not a number from 0 to 1000000";
                    return false;
                }
            }

            if (name.Length == 0)
            {
                error = $"entry '{item}' names no strategy";
                return false;
            }

            if (!names.Add(name))
            {
                error = $"'{name}' appears twice";
                return false;
            }

            if (findScorer(name) is not { } scorer)
            {
                error = $"'{name}' is not a strategy that can be weighted";
                return false;
            }

            if (weight > 0)
            {
                list.Add((scorer, weight));
            }
        }

        if (list.Count == 0)
        {
            error = "every weight is 0";
            return false;
        }

        parts = [.. list];
        error = null;
        return true;
    }

    /// <summary>The canonical name of a mix: lower-case names, invariant weights, in the given order.</summary>
    public static string Canonical((IRoutingScorer Scorer, double Weight)[] parts) =>
        string.Join(',', parts.Select(p => $"{p.Scorer.Name}:{p.Weight.ToString(CultureInfo.InvariantCulture)}"));
}
