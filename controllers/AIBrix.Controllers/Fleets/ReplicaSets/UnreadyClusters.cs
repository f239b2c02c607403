using System.Collections.Concurrent;

namespace AIBrix.Controllers.Fleets.ReplicaSets;

/// <summary>
/// Since when each broken cluster (provisioned once, unready now) has been seen broken, so it is replaced only after
/// the grace period. Kept in memory: a controller that restarts gives broken clusters a fresh grace period, the
/// cautious side of the trade.
/// </summary>
internal sealed class UnreadyClusters
{
    private readonly ConcurrentDictionary<string, DateTime> _since = new(StringComparer.Ordinal);

    /// <summary>
    /// Records the broken clusters among <paramref name="clusters"/>, forgets the healed ones, and returns the ones broken
    /// for at least <paramref name="grace"/> and when the next one will be.
    /// </summary>
    public (List<ClusterState> Overdue, DateTime? NextDue) Check(IReadOnlyList<ClusterState> clusters, DateTime now, TimeSpan grace)
    {
        var overdue = new List<ClusterState>();
        DateTime? next = null;
        foreach (var c in clusters)
        {
            string uid = c.Cluster.Metadata.Uid ?? c.Name;
            if (!c.Broken)
            {
                _since.TryRemove(uid, out _);
                continue;
            }

            var since = _since.GetOrAdd(uid, now);
            var due = since + grace;
            if (due <= now)
            {
                overdue.Add(c);
            }
            else if (next is null || due < next)
            {
                next = due;
            }
        }

        return (overdue, next);
    }

    /// <summary>Forgets a deleted cluster.</summary>
    public void Forget(string uid) => _since.TryRemove(uid, out _);
}
