using AIBrix.Kubernetes.Crds;

namespace AIBrix.Controllers.Fleets.Rollout;

/// <summary>What one reconcile of a fleet saw and did, for its status.</summary>
/// <param name="Replicas">spec.replicas.</param>
/// <param name="MaxUnavailable">The resolved bound.</param>
/// <param name="NewSet">The current template's replica set, if any.</param>
/// <param name="AllSets">Every replica set of the fleet.</param>
/// <param name="Acted">The reconcile created or scaled a replica set.</param>
/// <param name="Paused">spec.paused.</param>
/// <param name="Deadline">progressDeadlineSeconds.</param>
public sealed record FleetObservation(int Replicas, int MaxUnavailable, RayClusterReplicaSet? NewSet, IReadOnlyList<RayClusterReplicaSet> AllSets,
    bool Acted, bool Paused, TimeSpan Deadline);

/// <summary>
/// A fleet's status from its replica sets, with a Deployment's conditions: Available (at least replicas - maxUnavailable
/// available), Progressing (True while the rollout moves or once it finished, False with ProgressDeadlineExceeded when
/// nothing moved for the deadline, Unknown while paused), ReplicaFailure (copied from a replica set that has it).
/// </summary>
public static class FleetProgress
{
    /// <summary>The new status, and when the deadline would pass if nothing moves (null when not waiting on one).</summary>
    public static (RayClusterFleetStatus Status, DateTime? DeadlineAt) Next(RayClusterFleet fleet, FleetObservation seen, DateTime now)
    {
        var old = fleet.Status;
        var status = new RayClusterFleetStatus
        {
            ObservedGeneration = fleet.Metadata.Generation,
            Replicas = seen.AllSets.Sum(s => s.Status?.Replicas ?? 0),
            UpdatedReplicas = seen.NewSet?.Status?.Replicas ?? 0,
            ReadyReplicas = seen.AllSets.Sum(s => s.Status?.ReadyReplicas ?? 0),
            AvailableReplicas = seen.AllSets.Sum(s => s.Status?.AvailableReplicas ?? 0),
            CollisionCount = old?.CollisionCount,
            Selector = FleetLabels.HeadSelector(fleet.Metadata.Name),
            Conditions = old?.Conditions is { } conditions ? conditions.Select(c => new FleetCondition
            {
                Type = c.Type, Status = c.Status, Reason = c.Reason, Message = c.Message, LastUpdateTime = c.LastUpdateTime, LastTransitionTime = c.LastTransitionTime,
            }).ToList() : null,
        };
        status.UnavailableReplicas = Math.Max(0, seen.AllSets.Sum(s => s.Spec.Replicas ?? 0) - status.AvailableReplicas);

        bool available = status.AvailableReplicas >= seen.Replicas - seen.MaxUnavailable;
        status.Conditions = FleetConditions.Set(status.Conditions, FleetConditions.Available, available ? "True" : "False",
            available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
            available ? "the fleet has its minimum of available clusters" : "the fleet does not have its minimum of available clusters", now, touch: false);

        DateTime? deadlineAt = null;
        var progressing = FleetConditions.Find(status.Conditions, FleetConditions.Progressing);
        bool complete = status.UpdatedReplicas == seen.Replicas && status.Replicas == seen.Replicas && status.AvailableReplicas == seen.Replicas
            && (seen.NewSet?.Status?.AvailableReplicas ?? 0) == seen.Replicas;
        string setName = seen.NewSet?.Metadata.Name ?? "(none)";
        if (seen.Paused)
        {
            status.Conditions = FleetConditions.Set(status.Conditions, FleetConditions.Progressing, "Unknown", FleetConditions.Paused, "the fleet is paused", now, touch: false);
        }
        else if (complete)
        {
            status.Conditions = FleetConditions.Set(status.Conditions, FleetConditions.Progressing, "True", FleetConditions.NewReplicaSetAvailable,
                $"replica set {setName} has successfully progressed", now, touch: progressing?.Reason != FleetConditions.NewReplicaSetAvailable);
        }
        else if (seen.Acted || Moved(old, status) || progressing is null || progressing.Reason == FleetConditions.Paused
                 || progressing.Reason == FleetConditions.NewReplicaSetAvailable || old?.ObservedGeneration != fleet.Metadata.Generation)
        {
            status.Conditions = FleetConditions.Set(status.Conditions, FleetConditions.Progressing, "True",
                progressing?.Reason == FleetConditions.Paused ? FleetConditions.Resumed : FleetConditions.ReplicaSetUpdated,
                $"replica set {setName} is progressing", now);
            deadlineAt = now + seen.Deadline;
        }
        else if (progressing.Status == "True" && progressing.LastUpdateTime is { } last)
        {
            if (last + seen.Deadline <= now)
            {
                status.Conditions = FleetConditions.Set(status.Conditions, FleetConditions.Progressing, "False", FleetConditions.ProgressDeadlineExceeded,
                    $"replica set {setName} has timed out progressing", now);
            }
            else
            {
                deadlineAt = last + seen.Deadline;
            }
        }

        var failure = seen.AllSets.SelectMany(s => s.Status?.Conditions ?? []).FirstOrDefault(c => c.Type == FleetConditions.ReplicaFailure && c.Status == "True");
        if (failure is not null)
        {
            status.Conditions = FleetConditions.Set(status.Conditions, FleetConditions.ReplicaFailure, "True", failure.Reason ?? "FailedCreate", failure.Message ?? "", now, touch: false);
        }
        else
        {
            FleetConditions.Remove(status.Conditions, FleetConditions.ReplicaFailure);
        }

        return (status, deadlineAt);
    }

    // Progress as a Deployment counts it: more clusters updated, ready or available than the last status said.
    private static bool Moved(RayClusterFleetStatus? old, RayClusterFleetStatus now) =>
        old is null || now.UpdatedReplicas > old.UpdatedReplicas || now.ReadyReplicas > old.ReadyReplicas
        || now.AvailableReplicas > old.AvailableReplicas || now.Replicas < old.Replicas;
}
