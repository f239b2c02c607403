using AIBrix.Kubernetes.Runtime;
using k8s.Models;

namespace AIBrix.Controllers.ModelAdapters.Steps;

/// <summary>
/// A condition a step decided on. Steps return these as values, so the decisions can be tested by table; the reconciler
/// applies them with its clock and the spec's generation.
/// </summary>
internal readonly record struct AdapterCondition(string Type, bool Status, string Reason, string Message)
{
    /// <summary>The spec was checked (True) or is invalid (False).</summary>
    public const string Initialized = "Initialized";

    /// <summary>Pods were chosen (True) or none could be (False).</summary>
    public const string Scheduled = "Scheduled";

    /// <summary>The adapter is confirmed loaded on at least one pod.</summary>
    public const string Ready = "Ready";

    /// <summary>Sets this condition in <paramref name="conditions"/>, moving its transition time only when its status changes.</summary>
    public List<V1Condition> ApplyTo(List<V1Condition>? conditions, DateTime now, long? generation) =>
        Conditions.Set(conditions, Type, Status, Reason, Message, now, generation);
}
