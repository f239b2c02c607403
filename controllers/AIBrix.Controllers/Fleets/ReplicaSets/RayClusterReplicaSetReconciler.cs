using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Runtime;
using k8s.Autorest;
using k8s.Models;

namespace AIBrix.Controllers.Fleets.ReplicaSets;

/// <summary>
/// Reconciles one RayClusterReplicaSet in steps: read its RayClusters (the cache, corrected by the creates and deletes
/// it has not seen yet), classify them by KubeRay's status, delete the ones broken past the grace period (before any
/// replacement exists, so a replacement never stands beside the broken cluster), create or delete clusters to match
/// replicas (not ready first, then the youngest), and write status only when it changed.
/// </summary>
public sealed class RayClusterReplicaSetReconciler : IReconciler
{
    private readonly Func<string, RayClusterReplicaSet?> _sets;
    private readonly Func<IEnumerable<RayCluster>> _clusters;
    private readonly ReplicaSetStore _store;
    private readonly EventRecorder _events;
    private readonly FleetOptions _options;
    private readonly ClusterExpectations _expectations;
    private readonly UnreadyClusters _unready = new();

    internal RayClusterReplicaSetReconciler(ReplicaSetStore store, Func<string, RayClusterReplicaSet?> sets, Func<IEnumerable<RayCluster>> clusters,
        EventRecorder events, FleetOptions options)
    {
        _store = store;
        _sets = sets;
        _clusters = clusters;
        _events = events;
        _options = options;
        _expectations = new ClusterExpectations(options.Time);
    }

    /// <inheritdoc/>
    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var set = _sets(key);
        if (set is null || set.Metadata.DeletionTimestamp is not null)
        {
            _expectations.Forget(key);
            return ReconcileResult.Done; // its RayClusters go with it (owner references)
        }

        var now = _options.Time.GetUtcNow().UtcDateTime;
        int minReady = set.Spec.MinReadySeconds ?? 0;
        int desired = set.Spec.Replicas ?? 1;
        var owned = _clusters().Where(c => FleetObjects.IsControlledBy(c, set));
        var clusters = _expectations.Apply(key, owned).Where(c => c.Metadata.DeletionTimestamp is null)
            .Select(c => ClusterReadiness.Classify(c, minReady, now)).ToList();

        string? failure = null;
        try
        {
            // Step: replace broken clusters. The broken one goes first; its replacement is created below as a missing
            // replica, so the two never count together against the fleet's surge.
            var (overdue, nextDue) = _unready.Check(clusters, now, _options.UnreadyGracePeriod);
            foreach (var broken in overdue)
            {
                await DeleteAsync(key, broken.Cluster, cancellationToken);
                _unready.Forget(broken.Cluster.Metadata.Uid ?? broken.Name);
                await _events.RecordAsync(set, true, "ClusterReplaced", $"RayCluster {broken.Name} stayed unready for {_options.UnreadyGracePeriod.TotalSeconds:0} s; replacing it", cancellationToken);
                clusters.Remove(broken);
            }

            // Step: scale.
            int diff = desired - clusters.Count;
            for (int i = 0; i < diff; i++)
            {
                var created = await _store.CreateClusterAsync(NewCluster(set), cancellationToken);
                _expectations.Created(key, created);
                clusters.Add(ClusterReadiness.Classify(created, minReady, now));
            }

            foreach (var victim in ScaleDownOrder.Pick(clusters, -diff))
            {
                await DeleteAsync(key, victim.Cluster, cancellationToken);
                clusters.Remove(victim);
            }

            return await WriteStatusAsync(set, clusters, null, now, Sooner(nextDue, NextAvailable(clusters, minReady)), cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is not System.Net.HttpStatusCode.Conflict)
        {
            failure = $"{e.Response.StatusCode}: {e.Response.Content}";
            await WriteStatusAsync(set, clusters, failure, now, null, cancellationToken);
            throw;
        }
    }

    private async Task DeleteAsync(string key, RayCluster cluster, CancellationToken cancellationToken)
    {
        try
        {
            await _store.DeleteClusterAsync(cluster, cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // already gone
        }

        _expectations.Deleted(key, cluster);
    }

    private async Task<ReconcileResult> WriteStatusAsync(RayClusterReplicaSet set, List<ClusterState> clusters, string? failure, DateTime now, DateTime? wake,
        CancellationToken cancellationToken)
    {
        var status = new RayClusterReplicaSetStatus
        {
            ObservedGeneration = set.Metadata.Generation,
            Replicas = clusters.Count,
            ReadyReplicas = clusters.Count(c => c.Ready),
            AvailableReplicas = clusters.Count(c => c.Available),
            Selector = HeadSelector(set),
            Conditions = set.Status?.Conditions is { } old ? FleetObjects.Copy(old) : null,
        };
        if (failure is not null)
        {
            status.Conditions = FleetConditions.Set(status.Conditions, FleetConditions.ReplicaFailure, "True", "FailedCreateOrDelete", failure, now);
        }
        else
        {
            FleetConditions.Remove(status.Conditions, FleetConditions.ReplicaFailure);
            if (status.Conditions is { Count: 0 })
            {
                status.Conditions = null;
            }
        }

        await _store.WriteStatusAsync(set, status, cancellationToken);
        return wake is { } at ? ReconcileResult.After(at - now) : ReconcileResult.Done;
    }

    /// <summary>The head pods of the replica set's clusters: its selector plus <c>ray.io/node-type=head</c>.</summary>
    internal static string HeadSelector(RayClusterReplicaSet set)
    {
        var labels = (set.Spec.Selector.MatchLabels ?? new Dictionary<string, string>())
            .Append(new KeyValuePair<string, string>(RayCluster.NodeTypeLabel, "head"))
            .OrderBy(p => p.Key, StringComparer.Ordinal);
        return string.Join(",", labels.Select(p => $"{p.Key}={p.Value}"));
    }

    /// <summary>A RayCluster of the replica set's template, owned by it.</summary>
    internal static RayCluster NewCluster(RayClusterReplicaSet set) => new()
    {
        Metadata = new V1ObjectMeta
        {
            GenerateName = set.Metadata.Name + "-",
            NamespaceProperty = set.Metadata.NamespaceProperty,
            Labels = set.Spec.Template.Metadata?.Labels is { } labels ? new Dictionary<string, string>(labels) : null,
            Annotations = set.Spec.Template.Metadata?.Annotations is { } annotations ? new Dictionary<string, string>(annotations) : null,
            OwnerReferences = [FleetObjects.OwnedBy(set)],
        },
        Spec = set.Spec.Template.Spec?.DeepClone().AsObject(),
    };

    private static DateTime? NextAvailable(IEnumerable<ClusterState> clusters, int minReady) =>
        clusters.Select(c => ClusterReadiness.AvailableAt(c, minReady)).Where(t => t is not null).Min();

    private static DateTime? Sooner(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : (a < b ? a : b);
}
