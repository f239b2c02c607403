using AIBrix.Kubernetes.Crds;
using k8s;

namespace AIBrix.Controllers.Fleets;

/// <summary>The fleet controller's writes: replica sets created, scaled, annotated and deleted; the fleet's rollback and status.</summary>
internal sealed class FleetStore(IKubernetes client)
{
    /// <summary>Reads a replica set (after a create collided with an existing name).</summary>
    public Task<RayClusterReplicaSet> GetSetAsync(string ns, string name, CancellationToken cancellationToken) =>
        client.CustomObjects.GetNamespacedCustomObjectAsync<RayClusterReplicaSet>(RayClusterReplicaSet.Group, RayClusterReplicaSet.Version, ns,
            RayClusterReplicaSet.Plural, name, cancellationToken);

    /// <summary>Creates a replica set.</summary>
    public Task<RayClusterReplicaSet> CreateSetAsync(RayClusterReplicaSet set, CancellationToken cancellationToken) =>
        client.CustomObjects.CreateNamespacedCustomObjectAsync<RayClusterReplicaSet>(set, RayClusterReplicaSet.Group, RayClusterReplicaSet.Version,
            set.Metadata.NamespaceProperty, RayClusterReplicaSet.Plural, cancellationToken: cancellationToken);

    /// <summary>Replaces a replica set (replicas, revision, minReadySeconds); 409 when the cached copy was stale.</summary>
    public Task<RayClusterReplicaSet> ReplaceSetAsync(RayClusterReplicaSet set, CancellationToken cancellationToken) =>
        client.CustomObjects.ReplaceNamespacedCustomObjectAsync<RayClusterReplicaSet>(set, RayClusterReplicaSet.Group, RayClusterReplicaSet.Version,
            set.Metadata.NamespaceProperty, RayClusterReplicaSet.Plural, set.Metadata.Name, cancellationToken: cancellationToken);

    /// <summary>Deletes an old replica set beyond the history limit.</summary>
    public Task DeleteSetAsync(RayClusterReplicaSet set, CancellationToken cancellationToken) =>
        client.CustomObjects.DeleteNamespacedCustomObjectAsync<RayClusterReplicaSet>(RayClusterReplicaSet.Group, RayClusterReplicaSet.Version,
            set.Metadata.NamespaceProperty, RayClusterReplicaSet.Plural, set.Metadata.Name, cancellationToken: cancellationToken);

    /// <summary>Replaces the fleet (a rollback writes an old template back).</summary>
    public Task<RayClusterFleet> ReplaceFleetAsync(RayClusterFleet fleet, CancellationToken cancellationToken) =>
        client.CustomObjects.ReplaceNamespacedCustomObjectAsync<RayClusterFleet>(fleet, RayClusterFleet.Group, RayClusterFleet.Version,
            fleet.Metadata.NamespaceProperty, RayClusterFleet.Plural, fleet.Metadata.Name, cancellationToken: cancellationToken);

    /// <summary>Writes <paramref name="status"/> unless it is what the fleet already says.</summary>
    public async Task WriteStatusAsync(RayClusterFleet fleet, RayClusterFleetStatus status, CancellationToken cancellationToken)
    {
        if (FleetObjects.Same(fleet.Status, status))
        {
            return;
        }

        var copy = FleetObjects.Copy(fleet);
        copy.Status = status;
        await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<RayClusterFleet>(copy, RayClusterFleet.Group, RayClusterFleet.Version,
            fleet.Metadata.NamespaceProperty, RayClusterFleet.Plural, fleet.Metadata.Name, cancellationToken: cancellationToken);
    }
}
