using System.Globalization;
using System.Net;
using AIBrix.Controllers.Fleets.Rollout;
using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Runtime;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace AIBrix.Controllers.Fleets;

/// <summary>
/// Reconciles one RayClusterFleet as the Deployment controller does a Deployment, in steps: roll back when asked, find
/// the replica set of the current template (creating it, with the next revision, unless paused; a hash that names
/// another template's set bumps collisionCount), then Recreate, roll within maxSurge/maxUnavailable, or (paused) only
/// scale; prune idle old sets beyond revisionHistoryLimit; and write status with Available, Progressing and
/// ReplicaFailure. It acts only on replica set statuses that describe their current spec, so a lagging count never
/// scales twice.
/// </summary>
public sealed class RayClusterFleetReconciler : IReconciler
{
    private readonly Func<string, RayClusterFleet?> _fleets;
    private readonly Func<IEnumerable<RayClusterReplicaSet>> _sets;
    private readonly FleetStore _store;
    private readonly EventRecorder _events;
    private readonly FleetOptions _options;

    internal RayClusterFleetReconciler(FleetStore store, Func<string, RayClusterFleet?> fleets, Func<IEnumerable<RayClusterReplicaSet>> sets, EventRecorder events, FleetOptions options)
    {
        _store = store;
        _fleets = fleets;
        _sets = sets;
        _events = events;
        _options = options;
    }

    /// <inheritdoc/>
    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var fleet = _fleets(key);
        if (fleet is null || fleet.Metadata.DeletionTimestamp is not null)
        {
            return ReconcileResult.Done; // its replica sets go with it (owner references)
        }

        var now = _options.Time.GetUtcNow().UtcDateTime;
        var spec = fleet.Spec;
        int replicas = spec.Replicas ?? 1;
        var sets = _sets().Where(s => FleetObjects.IsControlledBy(s, fleet) && s.Metadata.DeletionTimestamp is null).ToList();
        if (sets.Any(s => (s.Status?.ObservedGeneration ?? 0) < (s.Metadata.Generation ?? 1)))
        {
            return ReconcileResult.Done; // a replica set has not acted on its spec yet; its status update wakes us
        }

        // Step: rollback, as kubectl rollout undo does: the old template becomes the fleet's template.
        if (fleet.Metadata.Annotations?.TryGetValue(FleetLabels.RollbackTo, out var rollbackTo) == true)
        {
            await RollbackAsync(fleet, sets, rollbackTo, cancellationToken);
            return ReconcileResult.Done;
        }

        bool recreate = spec.Strategy?.Type == FleetStrategyTypes.Recreate;
        int maxSurge = 0, maxUnavailable = 0;
        if (!recreate && !RolloutMath.TryResolveBounds(spec.Strategy?.RollingUpdate?.MaxSurge, spec.Strategy?.RollingUpdate?.MaxUnavailable, replicas,
                out maxSurge, out maxUnavailable, out string? boundError))
        {
            await _events.RecordAsync(fleet, true, "InvalidStrategy", boundError!, cancellationToken);
            return ReconcileResult.Done;
        }

        // Step: the replica set of the current template.
        bool paused = spec.Paused == true;
        var rendered = TemplateHash.Render(fleet);
        var newSet = sets.FirstOrDefault(s => TemplateHash.SameTemplate(s.Spec.Template, rendered));
        var oldSets = sets.Where(s => s != newSet).OrderBy(Revisions.Of).ThenBy(s => s.Metadata.CreationTimestamp).ToList();
        bool acted = false;
        if (newSet is null && !paused)
        {
            var (created, collided) = await CreateNewSetAsync(fleet, rendered, oldSets, recreate ? 0 : FirstScale(replicas, maxSurge, sets), cancellationToken);
            if (collided)
            {
                return ReconcileResult.After(TimeSpan.Zero);
            }

            newSet = created;
            sets.Add(newSet!);
            acted = true;
        }
        else if (newSet is not null && !paused)
        {
            acted |= await SyncNewSetAsync(fleet, newSet, oldSets, cancellationToken);
        }

        // Step: scale.
        if (paused)
        {
            acted |= await ScalePausedAsync(newSet, oldSets, replicas, cancellationToken);
        }
        else if (recreate)
        {
            acted |= await RecreateAsync(newSet!, oldSets, replicas, cancellationToken);
        }
        else
        {
            acted |= await RollAsync(newSet!, oldSets, replicas, maxSurge, maxUnavailable, cancellationToken);
        }

        // Step: history.
        foreach (var idle in Revisions.Prune(oldSets, spec.RevisionHistoryLimit ?? 10))
        {
            await _store.DeleteSetAsync(idle, cancellationToken);
        }

        // Step: status.
        var seen = new FleetObservation(replicas, maxUnavailable, newSet, sets, acted, paused, TimeSpan.FromSeconds(spec.ProgressDeadlineSeconds ?? 600));
        var (status, deadlineAt) = FleetProgress.Next(fleet, seen, now);
        if (FleetConditions.Find(status.Conditions, FleetConditions.Progressing) is { Reason: FleetConditions.ProgressDeadlineExceeded } stuck
            && FleetConditions.Find(fleet.Status?.Conditions, FleetConditions.Progressing)?.Reason != FleetConditions.ProgressDeadlineExceeded)
        {
            await _events.RecordAsync(fleet, true, FleetConditions.ProgressDeadlineExceeded, stuck.Message ?? "", cancellationToken);
        }

        await _store.WriteStatusAsync(fleet, status, cancellationToken);
        return deadlineAt is { } at ? ReconcileResult.After(at - now) : ReconcileResult.Done;
    }

    // A new set starts with as many clusters as the surge allows now, so the first step of a rollout takes one reconcile.
    private static int FirstScale(int replicas, int maxSurge, IReadOnlyList<RayClusterReplicaSet> sets) =>
        sets.Count == 0 ? replicas : RolloutMath.NewSetTarget(replicas, maxSurge, 0, sets.Sum(s => s.Spec.Replicas ?? 0));

    private async Task<(RayClusterReplicaSet? Set, bool Collided)> CreateNewSetAsync(RayClusterFleet fleet, System.Text.Json.Nodes.JsonObject rendered,
        List<RayClusterReplicaSet> oldSets, int replicas, CancellationToken cancellationToken)
    {
        int collisions = fleet.Status?.CollisionCount ?? 0;
        string hash = TemplateHash.Compute(rendered, collisions);
        var template = TemplateHash.WithHash(rendered, hash);
        var selector = FleetObjects.Copy(fleet.Spec.Selector);
        (selector.MatchLabels ??= new Dictionary<string, string>())[FleetLabels.TemplateHash] = hash;
        var set = new RayClusterReplicaSet
        {
            Metadata = new V1ObjectMeta
            {
                Name = $"{fleet.Metadata.Name}-{hash}",
                NamespaceProperty = fleet.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string>(template.Metadata!.Labels!),
                OwnerReferences = [FleetObjects.OwnedBy(fleet)],
            },
            Spec = new RayClusterReplicaSetSpec { Replicas = replicas, MinReadySeconds = fleet.Spec.MinReadySeconds, Selector = selector, Template = template },
        };
        Revisions.Set(set, Revisions.Max(oldSets) + 1);
        try
        {
            var created = await _store.CreateSetAsync(set, cancellationToken);
            await _events.RecordAsync(fleet, false, "ScalingReplicaSet", $"Created replica set {created.Metadata.Name} with {replicas} clusters (revision {Revisions.Of(created)})", cancellationToken);
            return (created, false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            var existing = await _store.GetSetAsync(set.Metadata.NamespaceProperty, set.Metadata.Name, cancellationToken);
            if (FleetObjects.IsControlledBy(existing, fleet) && TemplateHash.SameTemplate(existing.Spec.Template, rendered))
            {
                return (existing, false); // ours; the cache had not shown it yet
            }

            // The hash names another template's set: count the collision so the next hash differs.
            var status = fleet.Status is null ? new RayClusterFleetStatus() : FleetObjects.Copy(fleet.Status);
            status.CollisionCount = collisions + 1;
            await _store.WriteStatusAsync(fleet, status, cancellationToken);
            return (null, true);
        }
    }

    // The current set carries the highest revision (a rollback to an old template makes its set current again) and the fleet's minReadySeconds.
    private async Task<bool> SyncNewSetAsync(RayClusterFleet fleet, RayClusterReplicaSet newSet, List<RayClusterReplicaSet> oldSets, CancellationToken cancellationToken)
    {
        long max = Revisions.Max(oldSets);
        bool stale = Revisions.Of(newSet) <= max && max > 0;
        bool minReady = newSet.Spec.MinReadySeconds != fleet.Spec.MinReadySeconds;
        if (!stale && !minReady)
        {
            return false;
        }

        var copy = FleetObjects.Copy(newSet);
        if (stale)
        {
            Revisions.Set(copy, max + 1);
        }

        copy.Spec.MinReadySeconds = fleet.Spec.MinReadySeconds;
        var written = await _store.ReplaceSetAsync(copy, cancellationToken);
        newSet.Metadata = written.Metadata;
        newSet.Spec = written.Spec;
        return true;
    }

    private async Task<bool> RollAsync(RayClusterReplicaSet newSet, List<RayClusterReplicaSet> oldSets, int replicas, int maxSurge, int maxUnavailable, CancellationToken cancellationToken)
    {
        bool acted = false;
        int total = oldSets.Sum(s => s.Spec.Replicas ?? 0) + (newSet.Spec.Replicas ?? 0);
        int target = RolloutMath.NewSetTarget(replicas, maxSurge, newSet.Spec.Replicas ?? 0, total);
        acted |= await ScaleAsync(newSet, target, cancellationToken);

        var specs = RolloutMath.ScaleDownOld(replicas, maxUnavailable, Counts(newSet), oldSets.Select(Counts).ToList());
        for (int i = 0; i < oldSets.Count; i++)
        {
            acted |= await ScaleAsync(oldSets[i], specs[i], cancellationToken);
        }

        return acted;
    }

    private async Task<bool> RecreateAsync(RayClusterReplicaSet newSet, List<RayClusterReplicaSet> oldSets, int replicas, CancellationToken cancellationToken)
    {
        bool acted = false;
        foreach (var old in oldSets)
        {
            acted |= await ScaleAsync(old, 0, cancellationToken);
        }

        if (oldSets.Any(s => (s.Spec.Replicas ?? 0) > 0 || (s.Status?.Replicas ?? 0) > 0) || acted)
        {
            return acted; // every old cluster must be gone before a new one starts
        }

        return await ScaleAsync(newSet, replicas, cancellationToken);
    }

    // Paused: no rollout; a fleet whose clusters all belong to one set still follows replicas (kubectl scale, the autoscaler).
    private async Task<bool> ScalePausedAsync(RayClusterReplicaSet? newSet, List<RayClusterReplicaSet> oldSets, int replicas, CancellationToken cancellationToken)
    {
        var active = oldSets.Append(newSet).Where(s => s is not null && (s.Spec.Replicas ?? 0) > 0).ToList();
        return active.Count == 1 && await ScaleAsync(active[0]!, replicas, cancellationToken);
    }

    private async Task<bool> ScaleAsync(RayClusterReplicaSet set, int replicas, CancellationToken cancellationToken)
    {
        if ((set.Spec.Replicas ?? 1) == replicas)
        {
            return false;
        }

        var copy = FleetObjects.Copy(set);
        copy.Spec.Replicas = replicas;
        var written = await _store.ReplaceSetAsync(copy, cancellationToken);
        set.Metadata = written.Metadata;
        set.Spec = written.Spec;
        return true;
    }

    private async Task RollbackAsync(RayClusterFleet fleet, List<RayClusterReplicaSet> sets, string target, CancellationToken cancellationToken)
    {
        var copy = FleetObjects.Copy(fleet);
        copy.Metadata.Annotations!.Remove(FleetLabels.RollbackTo);
        long current = Revisions.Max(sets);
        long wanted = long.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : 0;
        if (Revisions.RollbackTarget(sets, current, wanted) is { } to)
        {
            copy.Spec.Template = KubernetesJson.Deserialize<RayClusterTemplate>(TemplateHash.WithoutHash(to.Spec.Template).ToJsonString());
            await _events.RecordAsync(fleet, false, "RollingBack", $"Rolling back to revision {Revisions.Of(to)} ({to.Metadata.Name})", cancellationToken);
        }
        else
        {
            await _events.RecordAsync(fleet, true, "RollbackRevisionNotFound", $"no revision {target} to roll back to", cancellationToken);
        }

        await _store.ReplaceFleetAsync(copy, cancellationToken);
    }

    private static SetCounts Counts(RayClusterReplicaSet s) => new(s.Metadata.Name, s.Spec.Replicas ?? 0, s.Status?.Replicas ?? 0, s.Status?.AvailableReplicas ?? 0);
}
