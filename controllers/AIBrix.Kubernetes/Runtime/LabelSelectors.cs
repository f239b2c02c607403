using k8s.Models;

namespace AIBrix.Kubernetes.Runtime;

/// <summary>Evaluates a <see cref="V1LabelSelector"/> (matchLabels and In, NotIn, Exists, DoesNotExist).</summary>
public static class LabelSelectors
{
    /// <summary>Whether <paramref name="labels"/> satisfy <paramref name="selector"/>; an empty selector matches all.</summary>
    public static bool Matches(V1LabelSelector selector, IDictionary<string, string>? labels)
    {
        labels ??= new Dictionary<string, string>();
        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        foreach (var expr in selector.MatchExpressions ?? [])
        {
            bool has = labels.TryGetValue(expr.Key, out var actual);
            bool ok = expr.OperatorProperty switch
            {
                "In" => has && expr.Values?.Contains(actual!) == true,
                "NotIn" => !has || expr.Values?.Contains(actual!) != true,
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
