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
/// direction. The up and down rates apply to the decision (see <see cref="Autoscaler"/>).
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
        double ratio = perPod / target.TargetValue;
        int desired, raw;
        RecommendationMode mode;
        if (ratio > 1 + ctx.Settings.ScaleUpTolerance)
        {
            mode = RecommendationMode.ScaleUp;
            raw = ReplicaMath.Ceil(ctx.Base * ratio);
            desired = ctx.Apply(ScaleLimit.PodsStarting, raw, Math.Max(raw, ctx.Current), target.Name);
        }
        else if (ratio < 1 - ctx.Settings.ScaleDownTolerance)
        {
            mode = RecommendationMode.ScaleDown;
            raw = ReplicaMath.Ceil(ctx.Base * ratio);
            desired = ctx.Apply(ScaleLimit.PodsStarting, raw, Math.Min(raw, ctx.Current), target.Name);
        }
        else
        {
            mode = RecommendationMode.WithinTolerance;
            raw = desired = ctx.Current;
        }

        return new MetricRecommendation(target.Name, mode, target.TargetValue, perPod, perPod, raw, desired);
    }
}
