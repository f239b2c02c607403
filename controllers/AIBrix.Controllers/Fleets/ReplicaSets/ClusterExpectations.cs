using System.Collections.Concurrent;
using AIBrix.Kubernetes.Crds;

namespace AIBrix.Controllers.Fleets.ReplicaSets;

/// <summary>
/// The RayClusters a replica set created or deleted that its informer has not shown yet. The cache lags the API
/// server; without this a reconcile right after a create (woken by its own status write) would count the new cluster
/// missing and create another. Created clusters count until the cache shows them, deleted ones stop counting at
/// once; an entry older than <see cref="Ttl"/> is dropped in case its watch event was lost.
/// </summary>
internal sealed class ClusterExpectations(TimeProvider time)
{
    /// <summary>How long an unobserved create or delete is trusted.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);

    /// <summary>Records a cluster created for replica set <paramref name="owner"/>.</summary>
    public void Created(string owner, RayCluster cluster) => For(owner).Add(cluster.Metadata.Name, cluster, deleted: false, time.GetUtcNow());

    /// <summary>Records a cluster deleted for replica set <paramref name="owner"/>.</summary>
    public void Deleted(string owner, RayCluster cluster) => For(owner).Add(cluster.Metadata.Name, cluster, deleted: true, time.GetUtcNow());

    /// <summary>The clusters of <paramref name="owner"/> as they are: <paramref name="cached"/> plus unseen creates, minus deletes.</summary>
    public List<RayCluster> Apply(string owner, IEnumerable<RayCluster> cached)
    {
        var list = cached.ToList();
        if (!_pending.TryGetValue(owner, out var pending))
        {
            return list;
        }

        return pending.Apply(list, time.GetUtcNow());
    }

    /// <summary>Forgets a replica set.</summary>
    public void Forget(string owner) => _pending.TryRemove(owner, out _);

    private Pending For(string owner) => _pending.GetOrAdd(owner, _ => new Pending());

    private sealed class Pending
    {
        private readonly Lock _lock = new();
        private readonly Dictionary<string, (RayCluster Cluster, bool Deleted, DateTimeOffset At)> _byName = new(StringComparer.Ordinal);

        public void Add(string name, RayCluster cluster, bool deleted, DateTimeOffset at)
        {
            lock (_lock)
            {
                _byName[name] = (cluster, deleted, at);
            }
        }

        public List<RayCluster> Apply(List<RayCluster> cached, DateTimeOffset now)
        {
            lock (_lock)
            {
                var names = cached.Select(c => c.Metadata.Name).ToHashSet(StringComparer.Ordinal);
                foreach (var (name, entry) in _byName.ToList())
                {
                    bool seen = names.Contains(name);
                    if (now - entry.At > Ttl || (entry.Deleted ? !seen : seen))
                    {
                        _byName.Remove(name); // observed (or too old to trust)
                        continue;
                    }

                    if (entry.Deleted)
                    {
                        cached.RemoveAll(c => c.Metadata.Name == name);
                    }
                    else
                    {
                        cached.Add(entry.Cluster);
                    }
                }

                return cached;
            }
        }
    }
}
