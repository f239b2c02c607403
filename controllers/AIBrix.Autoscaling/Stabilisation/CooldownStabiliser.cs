using AIBrix.Autoscaling.Decisions;

namespace AIBrix.Autoscaling.Stabilisation;

/// <summary>
/// The scale-up and scale-down cooldown windows, with Kubernetes' stabilisation rule (HPA
/// stabilizeRecommendationWithBehaviors): a scale-up goes no higher than the lowest recommendation of the up
/// window, a scale-down no lower than the highest of the down window, so a count only moves once the metric has
/// asked for it for the whole window.
/// Only the recommendations that can still be a window's lowest (or highest) are kept: a newer one at least as
/// low (high) outlives an older one in every window, so the older one is dropped. Replica counts are integers,
/// so each list holds at most one entry per distinct count, and at most one per granularity bucket of its window:
/// a handful of entries in practice instead of one per decision.
/// </summary>
internal sealed class CooldownStabiliser(TimeSpan granularity)
{
    private readonly long _bucketTicks = granularity.Ticks;
    private readonly MonotonicWindow _lowest = new(keepLowest: true);
    private readonly MonotonicWindow _highest = new(keepLowest: false);
    private bool _seeded;

    /// <summary>Entries held now (both lists).</summary>
    public int Count => _lowest.Count + _highest.Count;

    /// <summary>Whether no recommendation has been recorded yet.</summary>
    public bool IsEmpty => !_seeded;

    /// <summary>
    /// Records <paramref name="current"/> as a recommendation made now, as Kubernetes does when an HPA appears, so a
    /// restarted controller (which lost its history) does not scale down before a whole down window has passed.
    /// </summary>
    public void Seed(DateTimeOffset now, int current) => Record(now.UtcTicks, current);

    /// <summary>
    /// The stabilised count for <paramref name="recommendation"/>, given the <paramref name="current"/> count; the
    /// recommendation is recorded. <paramref name="limit"/> names the window that held it back, if one did.
    /// </summary>
    public int Stabilise(DateTimeOffset now, int recommendation, int current, TimeSpan up, TimeSpan down, out ScaleLimit limit)
    {
        long upCutoff = (now - up).UtcTicks, downCutoff = (now - down).UtcTicks;
        _lowest.DropUpTo(upCutoff);
        _highest.DropUpTo(downCutoff);
        int upBound = Math.Min(recommendation, _lowest.Extreme ?? recommendation);
        int downBound = Math.Max(recommendation, _highest.Extreme ?? recommendation);
        int result = Math.Min(Math.Max(current, upBound), downBound);
        limit = result < recommendation ? ScaleLimit.ScaleUpCooldown : result > recommendation ? ScaleLimit.ScaleDownCooldown : ScaleLimit.None;
        Record(now.UtcTicks, recommendation);
        return result;
    }

    private void Record(long at, int recommendation)
    {
        _seeded = true;
        _lowest.Add(at, recommendation, _bucketTicks);
        _highest.Add(at, recommendation, _bucketTicks);
    }

    /// <summary>Recommendations oldest first, each strictly beyond the next in the kept direction (a monotonic deque).</summary>
    private sealed class MonotonicWindow(bool keepLowest)
    {
        private readonly List<(long At, int Value)> _entries = new(4);

        public int Count => _entries.Count;

        /// <summary>The lowest (highest) value still in the window; null when empty.</summary>
        public int? Extreme => _entries.Count == 0 ? null : _entries[0].Value;

        public void Add(long at, int value, long bucketTicks)
        {
            int n = _entries.Count;
            while (n > 0 && (keepLowest ? _entries[n - 1].Value >= value : _entries[n - 1].Value <= value))
            {
                n--; // the new one lives longer and is at least as extreme: the old one can never matter again
            }

            _entries.RemoveRange(n, _entries.Count - n);
            if (n > 0 && _entries[n - 1].At / bucketTicks == at / bucketTicks)
            {
                return; // a more extreme value from the same bucket stands for this one (within one granularity)
            }

            _entries.Add((at, value));
        }

        /// <summary>Drops entries made at or before <paramref name="cutoff"/> (Kubernetes keeps those strictly after).</summary>
        public void DropUpTo(long cutoff)
        {
            int stale = 0;
            while (stale < _entries.Count && _entries[stale].At <= cutoff)
            {
                stale++;
            }

            _entries.RemoveRange(0, stale);
        }
    }
}
