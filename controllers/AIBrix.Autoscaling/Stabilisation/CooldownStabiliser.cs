using AIBrix.Autoscaling.Decisions;

namespace AIBrix.Autoscaling.Stabilisation;

/// <summary>
/// The scale-up and scale-down cooldown windows, with Kubernetes' stabilisation rule (HPA
/// stabilizeRecommendationWithBehaviors): a scale-up goes no higher than the lowest recommendation of the up
/// window, a scale-down no lower than the highest of the down window, so a count only moves once the metric has
/// asked for it for the whole window. Recommendations within one granularity bucket share an entry (its lowest
/// and highest), which bounds the history at one entry per bucket of the longer window.
/// </summary>
internal sealed class CooldownStabiliser(TimeSpan granularity)
{
    private readonly long _bucketTicks = granularity.Ticks;
    private readonly List<Entry> _history = new(4);

    /// <summary>Entries held now.</summary>
    public int Count => _history.Count;

    /// <summary>Whether no recommendation has been recorded yet.</summary>
    public bool IsEmpty => _history.Count == 0;

    /// <summary>
    /// Records <paramref name="current"/> as a recommendation made now, as Kubernetes does when an HPA appears, so a
    /// restarted controller (which lost its history) does not scale down before a whole down window has passed.
    /// </summary>
    public void Seed(DateTimeOffset now, int current) => Record(now, current);

    /// <summary>
    /// The stabilised count for <paramref name="recommendation"/>, given the <paramref name="current"/> count; the
    /// recommendation is recorded. <paramref name="limit"/> names the window that held it back, if one did.
    /// </summary>
    public int Stabilise(DateTimeOffset now, int recommendation, int current, TimeSpan up, TimeSpan down, out ScaleLimit limit)
    {
        long upCutoff = (now - up).UtcTicks, downCutoff = (now - down).UtcTicks;
        int upBound = recommendation, downBound = recommendation;
        foreach (var entry in _history)
        {
            if (entry.At > upCutoff)
            {
                upBound = Math.Min(upBound, entry.Min);
            }

            if (entry.At > downCutoff)
            {
                downBound = Math.Max(downBound, entry.Max);
            }
        }

        int result = Math.Min(Math.Max(current, upBound), downBound);
        limit = result < recommendation ? ScaleLimit.ScaleUpCooldown : result > recommendation ? ScaleLimit.ScaleDownCooldown : ScaleLimit.None;
        Record(now, recommendation);
        Prune(Math.Min(upCutoff, downCutoff));
        return result;
    }

    private void Record(DateTimeOffset now, int recommendation)
    {
        long at = now.UtcTicks;
        int last = _history.Count - 1;
        if (last >= 0 && _history[last].At / _bucketTicks == at / _bucketTicks)
        {
            var e = _history[last];
            _history[last] = new Entry(Math.Max(e.At, at), Math.Min(e.Min, recommendation), Math.Max(e.Max, recommendation));
            return;
        }

        _history.Add(new Entry(at, recommendation, recommendation));
    }

    private void Prune(long cutoff)
    {
        int stale = 0;
        while (stale < _history.Count - 1 && _history[stale].At <= cutoff)
        {
            stale++; // the newest entry stays: it is the one just recorded
        }

        if (stale > 0)
        {
            _history.RemoveRange(0, stale);
        }
    }

    private readonly record struct Entry(long At, int Min, int Max);
}
