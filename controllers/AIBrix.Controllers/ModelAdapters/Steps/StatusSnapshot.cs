using AIBrix.Kubernetes.Crds;
using k8s.Models;

namespace AIBrix.Controllers.ModelAdapters.Steps;

/// <summary>Pure helpers of the status step: a working copy to edit, and whether an edit changed anything worth writing.</summary>
internal static class StatusSnapshot
{
    /// <summary>A deep copy of <paramref name="status"/> (an empty status when null), so the cached object stays as read.</summary>
    public static ModelAdapterStatus Copy(ModelAdapterStatus? status) => new()
    {
        Phase = status?.Phase,
        Conditions = status?.Conditions?.Select(c => new V1Condition
        {
            Type = c.Type, Status = c.Status, Reason = c.Reason, Message = c.Message, LastTransitionTime = c.LastTransitionTime, ObservedGeneration = c.ObservedGeneration,
        }).ToList(),
        Instances = status?.Instances?.ToList(),
        Candidates = status?.Candidates?.ToList(),
        ReadyReplicas = status?.ReadyReplicas ?? 0,
        ObservedGeneration = status?.ObservedGeneration,
    };

    /// <summary>
    /// True when <paramref name="written"/> already says what <paramref name="next"/> says. Condition times and
    /// generations are left out: a write for them alone would wake every watcher for nothing.
    /// </summary>
    public static bool Same(ModelAdapterStatus? written, ModelAdapterStatus next) =>
        written is not null
        && written.Phase == next.Phase
        && written.ReadyReplicas == next.ReadyReplicas
        && written.ObservedGeneration == next.ObservedGeneration
        && (written.Instances ?? []).SequenceEqual(next.Instances ?? [])
        && (written.Candidates ?? []).SequenceEqual(next.Candidates ?? [])
        && (written.Conditions ?? []).Count == (next.Conditions ?? []).Count
        && (written.Conditions ?? []).Zip(next.Conditions ?? []).All(p => p.First.Type == p.Second.Type && p.First.Status == p.Second.Status
            && p.First.Reason == p.Second.Reason && p.First.Message == p.Second.Message);
}
