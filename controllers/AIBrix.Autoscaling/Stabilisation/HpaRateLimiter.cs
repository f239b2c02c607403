using AIBrix.Autoscaling.Decisions;

namespace AIBrix.Autoscaling.Stabilisation;

/// <summary>
/// Kubernetes' HPA scaling policies (convertDesiredReplicasWithBehaviorRate): from the replica count at the start
/// of each policy's period, each policy proposes a limit and the most permissive one wins (selectPolicy Max).
/// Kubernetes derives the period's starting count from the changes it made itself (current − added + removed);
/// here it is the count observed by the first decision within the period (before that decision changed it), which
/// is the same when every change is applied and stays right when a scale write failed.
/// </summary>
internal sealed class HpaRateLimiter(HpaScalingPolicy[] up, HpaScalingPolicy[] down)
{
    private readonly List<(long At, int Replicas)> _observed = [];
    private readonly TimeSpan _longest = up.Concat(down).Max(p => p.Period);

    /// <summary><paramref name="desired"/> held to what the policies allow from <paramref name="current"/>, which is recorded.</summary>
    public int Limit(DateTimeOffset now, int desired, int current, out ScaleLimit limit)
    {
        Observe(now, current);
        limit = ScaleLimit.None;
        if (desired > current)
        {
            int max = int.MinValue;
            foreach (var p in up)
            {
                int start = CountAt(now - p.Period, current);
                max = Math.Max(max, p.Percent ? ReplicaMath.Ceil(start * (1 + (p.Value / 100))) : start + (int)p.Value);
            }

            max = Math.Max(max, current); // no further growth until the period moves on, never a shrink
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
                int start = CountAt(now - p.Period, current);
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

    /// <summary>Notes the replica count seen now (also on decisions that had no metric to limit).</summary>
    public void Observe(DateTimeOffset now, int current)
    {
        long at = now.UtcTicks, cutoff = (now - _longest).UtcTicks;
        if (_observed.Count > 0 && _observed[^1].At == at)
        {
            _observed[^1] = (at, current);
        }
        else
        {
            _observed.Add((at, current));
        }

        int stale = 0;
        while (stale < _observed.Count && _observed[stale].At <= cutoff)
        {
            stale++;
        }

        _observed.RemoveRange(0, stale);
    }

    // The count before any change made within (start, now]: what the first decision after `start` saw.
    private int CountAt(DateTimeOffset start, int current)
    {
        long at = start.UtcTicks;
        foreach (var (when, replicas) in _observed)
        {
            if (when > at)
            {
                return replicas;
            }
        }

        return current;
    }
}
