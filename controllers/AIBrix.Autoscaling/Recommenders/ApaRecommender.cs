using AIBrix.Autoscaling.Decisions;

namespace AIBrix.Autoscaling.Recommenders;

/// <summary>
/// AIBrix's APA (pkg/controller/podautoscaler/algorithm/apa.go): the per-pod mean over the APA window against the
/// target. Above target × (1 + up tolerance) it scales up to ceil(ready × ratio); below target × (1 − down
/// tolerance) down to ceil(ready × ratio); in between it holds. Counting from ready pods (AIBrix counts from the
/// current replicas) keeps pods that are still starting from being multiplied as if loaded; a signal never moves
/// the count against its own direction. The up and down rates apply to the decision (see <see cref="Autoscaler"/>).
/// </summary>
internal static class ApaRecommender
{
    public static MetricRecommendation Recommend(MetricState metric, in RecommendContext ctx)
    {
        var latest = metric.Fresh(ctx.Now, ctx.Settings.StableWindow);
        if (latest is null)
        {
            return MetricRecommendation.NoData(metric.Target);
        }

        var target = metric.Target;
        var apa = metric.Window.Read(ctx.Now).Apa;
        double perPod = apa.HasData ? apa.PerPod : latest.Value.PerPod;
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
