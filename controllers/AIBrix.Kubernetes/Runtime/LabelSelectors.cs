using AIBrix.Labels;
using k8s.Models;

namespace AIBrix.Kubernetes.Runtime;

/// <summary>Adapts a <see cref="V1LabelSelector"/> (matchLabels and In, NotIn, Exists, DoesNotExist) to <see cref="LabelSelector"/>.</summary>
public static class LabelSelectors
{
    /// <summary>
    /// The selector <paramref name="selector"/> describes; an empty one selects everything. False (with the reason) when
    /// it names an invalid key, value or operator: such a selector selects nothing, as the API server would refuse it.
    /// </summary>
    public static bool TryConvert(V1LabelSelector selector, out LabelSelector? converted, out string? error)
    {
        ArgumentNullException.ThrowIfNull(selector);
        converted = null;
        var expressions = new List<LabelRequirement>();
        foreach (var expression in selector.MatchExpressions ?? [])
        {
            if (!LabelRequirement.TryFromExpression(expression.Key, expression.OperatorProperty, expression.Values, out var requirement, out error))
            {
                return false;
            }

            expressions.Add(requirement!);
        }

        return LabelSelector.TryCreate(selector.MatchLabels, expressions, out converted, out error);
    }

    /// <summary>Whether <paramref name="labels"/> satisfy <paramref name="selector"/>; an empty selector matches all, an invalid one none.</summary>
    public static bool Matches(V1LabelSelector selector, IDictionary<string, string>? labels)
    {
        if (!TryConvert(selector, out var converted, out _))
        {
            return false;
        }

        IReadOnlyDictionary<string, string> view = labels as IReadOnlyDictionary<string, string>
            ?? (labels is null ? new Dictionary<string, string>() : new Dictionary<string, string>(labels));
        return converted!.Matches(view);
    }
}
