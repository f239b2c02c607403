using k8s.Models;

namespace AIBrix.Kubernetes.Runtime;

/// <summary>Status condition helpers: set a condition, moving its transition time only when its status changes.</summary>
public static class Conditions
{
    /// <summary>Sets <paramref name="type"/> in <paramref name="conditions"/>; returns the list (created when null).</summary>
    public static List<V1Condition> Set(List<V1Condition>? conditions, string type, bool status, string reason, string message, DateTime now, long? generation = null)
    {
        conditions ??= [];
        string text = status ? "True" : "False";
        var existing = conditions.FirstOrDefault(c => c.Type == type);
        if (existing is null)
        {
            conditions.Add(new V1Condition { LastTransitionTime = now, Message = message, Reason = reason, Status = text, Type = type, ObservedGeneration = generation });
            return conditions;
        }

        if (existing.Status != text)
        {
            existing.LastTransitionTime = now;
        }

        existing.Status = text;
        existing.Reason = reason;
        existing.Message = message;
        existing.ObservedGeneration = generation;
        return conditions;
    }

    /// <summary>True when <paramref name="type"/> is present with status True.</summary>
    public static bool IsTrue(IEnumerable<V1Condition>? conditions, string type) =>
        conditions?.Any(c => c.Type == type && c.Status == "True") == true;
}
