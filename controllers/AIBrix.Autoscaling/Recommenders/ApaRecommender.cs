using AIBrix.Autoscaling.Decisions;

namespace AIBrix.Autoscaling.Recommenders;

/// <summary>
/// AIBrix's APA (pkg/controller/podautoscaler/algorithm/apa.go): the per-pod load over the APA window against the
/// target. Above target × (1 + up tolerance) it scales up to ceil(ready × ratio); below target × (1 − down
/// tolerance) down to ceil(ready × ratio); in between it holds. The per-pod load is the window's mean total over
/// the ready pods now: AIBrix's mean of per-pod values, taken while pods were being added and multiplied by the
/// pods there are now, counts the load again for every added pod (with 3 pods at twice the target the count ran
/// to 13 where 6 carry it). Counting from ready pods (AIBrix counts the current replicas) keeps pods that are
/// still starting from being multiplied as if loaded, and a signal never moves the count against its own
/// direction. With a scale-up lookahead the load is at least what the window's least-squares trend reaches that
/// far ahead (never lower: a falling trend changes nothing). The up and down rates apply to the decision (see <see cref="Autoscaler"/>).
/// </summary>
internal static class ApaRecommender
{
    public static MetricRecommendation Recommend(MetricState metric, ref RecommendContext ctx)
    {
        var latest = metric.Fresh(ctx.Now, ctx.Settings.StableWindow);
        if (latest is null)
        {
            return MetricRecommendation.NoData(metric.Target);
        }

        var target = metric.Target;
        var apa = metric.Window.Read(ctx.Now).Apa;
        double perPod = (apa.HasData ? apa.Total : latest.Value.Total) / ctx.Base;
        var (mode, raw) = Count(perPod / target.TargetValue, ctx);
        if (ctx.LooksAhead && apa.HasData)
        {
            double ahead = apa.Projected(ctx.LookaheadBuckets) / ctx.Base;
            if (ahead > perPod)
            {
                var (aheadMode, aheadRaw) = Count(ahead / target.TargetValue, ctx);
                if (aheadRaw > raw)
                {
                    raw = ctx.Apply(ScaleLimit.Lookahead, raw, aheadRaw, target.Name);
                    mode = aheadMode;
                }
            }
        }

        int desired = mode switch
        {
            RecommendationMode.ScaleUp => ctx.Apply(ScaleLimit.PodsStarting, raw, Math.Max(raw, ctx.Current), target.Name),
            RecommendationMode.ScaleDown => ctx.Apply(ScaleLimit.PodsStarting, raw, Math.Min(raw, ctx.Current), target.Name),
            _ => raw,
        };
        return new MetricRecommendation(target.Name, mode, target.TargetValue, perPod, perPod, raw, desired);
    }

    private static (RecommendationMode Mode, int Raw) Count(double ratio, in RecommendContext ctx)
    {
        if (ratio > 1 + ctx.Settings.ScaleUpTolerance)
        {
            return (RecommendationMode.ScaleUp, ReplicaMath.Ceil(ctx.Base * ratio));
        }

        if (ratio < 1 - ctx.Settings.ScaleDownTolerance)
        {
            return (RecommendationMode.ScaleDown, ReplicaMath.Ceil(ctx.Base * ratio));
        }

        return (RecommendationMode.WithinTolerance, ctx.Current);
    }
}
