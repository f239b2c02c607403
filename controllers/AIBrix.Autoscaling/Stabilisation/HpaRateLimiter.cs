using AIBrix.Autoscaling.Decisions;

namespace AIBrix.Autoscaling.Stabilisation;

/// <summary>
/// Kubernetes' HPA scaling policies (convertDesiredReplicasWithBehaviorRate): the count at the start of each
/// policy's period is the current count minus the pods added and plus the pods removed within it; each policy
/// proposes a limit from there and the most permissive one wins (selectPolicy Max). Scale events older than the
/// longest period are dropped.
/// </summary>
internal sealed class HpaRateLimiter(HpaScalingPolicy[] up, HpaScalingPolicy[] down)
{
    private readonly List<(long At, int Change)> _ups = [];
    private readonly List<(long At, int Change)> _downs = [];
    private readonly TimeSpan _longest = up.Concat(down).Max(p => p.Period);

    /// <summary><paramref name="desired"/> held to what the policies allow from <paramref name="current"/>.</summary>
    public int Limit(DateTimeOffset now, int desired, int current, out ScaleLimit limit)
    {
        limit = ScaleLimit.None;
        if (desired > current)
        {
            int max = int.MinValue;
            foreach (var p in up)
            {
                int start = PeriodStart(now, p.Period, current);
                max = Math.Max(max, p.Percent ? ReplicaMath.Ceil(start * (1 + (p.Value / 100))) : start + (int)p.Value);
            }

            max = Math.Max(max, current);
            if (desired > max)
            {
                limit = ScaleLimit.ScaleUpPolicy;
                return max;
            }
        }
        else if (desired < current)
        {
            int min = int.MaxValue;
            foreach (var p in down)
            {
                int start = PeriodStart(now, p.Period, current);
                min = Math.Min(min, p.Percent ? (int)(start * (1 - (p.Value / 100))) : start - (int)p.Value);
            }

            min = Math.Min(min, current);
            if (desired < min)
            {
                limit = ScaleLimit.ScaleDownPolicy;
                return min;
            }
        }

        return desired;
    }

    /// <summary>Notes a change of the count made now.</summary>
    public void Record(DateTimeOffset now, int change)
    {
        if (change != 0)
        {
            (change > 0 ? _ups : _downs).Add((now.UtcTicks, Math.Abs(change)));
        }

        long cutoff = (now - _longest).UtcTicks;
        Prune(_ups, cutoff);
        Prune(_downs, cutoff);
    }

    private static void Prune(List<(long At, int Change)> events, long cutoff)
    {
        int stale = 0;
        while (stale < events.Count && events[stale].At <= cutoff)
        {
            stale++;
        }

        events.RemoveRange(0, stale);
    }

    private int PeriodStart(DateTimeOffset now, TimeSpan period, int current)
    {
        long cutoff = (now - period).UtcTicks;
        int added = 0, removed = 0;
        foreach (var e in _ups)
        {
            added += e.At > cutoff ? e.Change : 0;
        }

        foreach (var e in _downs)
        {
            removed += e.At > cutoff ? e.Change : 0;
        }

        return current - added + removed;
    }
}
