using AIBrix.Kubernetes.Crds;
using k8s;

namespace AIBrix.Controllers.Fleets.ReplicaSets;

/// <summary>The replica set controller's writes: RayClusters created and deleted, replica set status.</summary>
internal sealed class ReplicaSetStore(IKubernetes client)
{
    /// <summary>Creates a RayCluster (named by the API server from its generateName).</summary>
    public Task<RayCluster> CreateClusterAsync(RayCluster cluster, CancellationToken cancellationToken) =>
        client.CustomObjects.CreateNamespacedCustomObjectAsync<RayCluster>(cluster, RayCluster.Group, RayCluster.ApiVersionName,
            cluster.Metadata.NamespaceProperty, RayCluster.Plural, cancellationToken: cancellationToken);

    /// <summary>Deletes a RayCluster; KubeRay then removes its pods.</summary>
    public Task DeleteClusterAsync(RayCluster cluster, CancellationToken cancellationToken) =>
        client.CustomObjects.DeleteNamespacedCustomObjectAsync<RayCluster>(RayCluster.Group, RayCluster.ApiVersionName,
            cluster.Metadata.NamespaceProperty, RayCluster.Plural, cluster.Metadata.Name, cancellationToken: cancellationToken);

    /// <summary>Writes <paramref name="status"/> unless it is what the replica set already says.</summary>
    public async Task WriteStatusAsync(RayClusterReplicaSet set, RayClusterReplicaSetStatus status, CancellationToken cancellationToken)
    {
        if (FleetObjects.Same(set.Status, status))
        {
            return;
        }

        var copy = FleetObjects.Copy(set);
        copy.Status = status;
        await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<RayClusterReplicaSet>(copy, RayClusterReplicaSet.Group, RayClusterReplicaSet.Version,
            set.Metadata.NamespaceProperty, RayClusterReplicaSet.Plural, set.Metadata.Name, cancellationToken: cancellationToken);
    }
}
