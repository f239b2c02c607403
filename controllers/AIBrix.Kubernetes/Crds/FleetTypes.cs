using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s.Models;

namespace AIBrix.Kubernetes.Crds;

/// <summary>A RayCluster to make: labels and annotations, and a KubeRay <c>ray.io/v1</c> RayCluster spec kept as JSON.</summary>
public sealed class RayClusterTemplate
{
    /// <summary>Labels and annotations of the RayClusters.</summary>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta? Metadata { get; set; }

    /// <summary>KubeRay's RayCluster spec (headGroupSpec, workerGroupSpecs, ...); its schema is KubeRay's, not ours.</summary>
    [JsonPropertyName("spec")]
    public JsonObject? Spec { get; set; }
}

/// <summary>How a fleet replaces clusters of an old template.</summary>
public sealed class FleetStrategy
{
    /// <summary><see cref="FleetStrategyTypes.RollingUpdate"/> (default) or <see cref="FleetStrategyTypes.Recreate"/>.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    /// <summary>The bounds of a rolling update.</summary>
    [JsonPropertyName("rollingUpdate")]
    public FleetRollingUpdate? RollingUpdate { get; set; }
}

/// <summary>A rolling update's bounds, as counts or percentages of replicas.</summary>
public sealed class FleetRollingUpdate
{
    /// <summary>Clusters above replicas during an update; a percentage rounds up (default 25%).</summary>
    [JsonPropertyName("maxSurge")]
    public IntOrString? MaxSurge { get; set; }

    /// <summary>Clusters below replicas during an update; a percentage rounds down (default 25%).</summary>
    [JsonPropertyName("maxUnavailable")]
    public IntOrString? MaxUnavailable { get; set; }
}

/// <summary>Values of <see cref="FleetStrategy.Type"/>.</summary>
public static class FleetStrategyTypes
{
    /// <summary>Replace clusters gradually within maxSurge and maxUnavailable.</summary>
    public const string RollingUpdate = "RollingUpdate";

    /// <summary>Delete every old cluster before creating new ones.</summary>
    public const string Recreate = "Recreate";

    /// <summary>Both, as the CRD's enum lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [RollingUpdate, Recreate];
}

/// <summary>A condition of a fleet or replica set, a Deployment's: with the time it was last updated, so progress is visible.</summary>
public sealed class FleetCondition
{
    /// <summary>One of <see cref="FleetConditions"/>.</summary>
    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    /// <summary>True, False or Unknown.</summary>
    [JsonPropertyName("status")]
    public string Status { get; set; } = "Unknown";

    /// <summary>Why, in one CamelCase word.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    /// <summary>Why, for humans.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; set; }

    /// <summary>The last time the condition was written with progress (Progressing measures its deadline from this).</summary>
    [JsonPropertyName("lastUpdateTime")]
    public DateTime? LastUpdateTime { get; set; }

    /// <summary>The last time <see cref="Status"/> changed.</summary>
    [JsonPropertyName("lastTransitionTime")]
    public DateTime? LastTransitionTime { get; set; }
}

/// <summary>Types and reasons of <see cref="FleetCondition"/> (a Deployment's names).</summary>
public static class FleetConditions
{
    /// <summary>At least replicas - maxUnavailable clusters are available.</summary>
    public const string Available = "Available";

    /// <summary>The rollout makes progress, finished, or is stuck past its deadline.</summary>
    public const string Progressing = "Progressing";

    /// <summary>RayClusters could not be created or deleted.</summary>
    public const string ReplicaFailure = "ReplicaFailure";

    /// <summary>The fleet's condition types, as the CRD's enum lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Available, Progressing, ReplicaFailure];

    /// <summary>Progressing: a replica set was created.</summary>
    public const string NewReplicaSetCreated = "NewReplicaSetCreated";

    /// <summary>Progressing: replica sets were scaled or became ready.</summary>
    public const string ReplicaSetUpdated = "ReplicaSetUpdated";

    /// <summary>Progressing: the rollout finished.</summary>
    public const string NewReplicaSetAvailable = "NewReplicaSetAvailable";

    /// <summary>Progressing False: no progress within progressDeadlineSeconds.</summary>
    public const string ProgressDeadlineExceeded = "ProgressDeadlineExceeded";

    /// <summary>Progressing Unknown: the fleet is paused.</summary>
    public const string Paused = "DeploymentPaused";

    /// <summary>Progressing: the fleet was resumed.</summary>
    public const string Resumed = "DeploymentResumed";

    /// <summary>Sets <paramref name="type"/>, moving its transition time only when the status changes and its update time when asked.</summary>
    public static List<FleetCondition> Set(List<FleetCondition>? conditions, string type, string status, string reason, string message, DateTime now, bool touch = true)
    {
        conditions ??= [];
        var c = conditions.FirstOrDefault(x => x.Type == type);
        if (c is null)
        {
            conditions.Add(new FleetCondition { Type = type, Status = status, Reason = reason, Message = message, LastUpdateTime = now, LastTransitionTime = now });
            return conditions;
        }

        if (c.Status != status)
        {
            c.LastTransitionTime = now;
            touch = true;
        }

        if (touch || c.Reason != reason)
        {
            c.LastUpdateTime = now;
        }

        (c.Status, c.Reason, c.Message) = (status, reason, message);
        return conditions;
    }

    /// <summary>The condition of <paramref name="type"/>, or null.</summary>
    public static FleetCondition? Find(IEnumerable<FleetCondition>? conditions, string type) => conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>Removes <paramref name="type"/>.</summary>
    public static void Remove(List<FleetCondition>? conditions, string type) => conditions?.RemoveAll(c => c.Type == type);
}
