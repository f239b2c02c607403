using AIBrix.Autoscaling.Decisions;

namespace AIBrix.Autoscaling.Recommenders;

/// <summary>
/// Kubernetes' HPA replica calculation (pkg/controller/podautoscaler/replica_calculator.go) on the newest sample,
/// as the HPA reads the newest value from the metrics APIs. Per-pod metrics: ratio = mean / target; within the
/// tolerance the count stands, otherwise ceil(ratio × pods with metrics). Pods without a sample (starting, or
/// unreachable) count as at the target when scaling down and as idle when scaling up, and a result that would
/// reverse the direction keeps the count. Whole-target values use the external AverageValue rule: ceil(total / target).
/// </summary>
internal static class HpaRecommender
{
    public static MetricRecommendation Recommend(MetricState metric, ref RecommendContext ctx)
    {
        if (metric.Fresh(ctx.Now, ctx.Settings.StableWindow) is not { } latest)
        {
            return MetricRecommendation.NoData(metric.Target);
        }

        var target = metric.Target;
        double t = target.TargetValue;
        int current = ctx.Current;
        int raw = latest.SampledPods == 0 ? WholeTarget(latest.Total, t, current, ctx) : PerPod(latest.PerPod, latest.SampledPods, t, current, ctx);
        var mode = raw > current ? RecommendationMode.ScaleUp : raw < current ? RecommendationMode.ScaleDown : RecommendationMode.WithinTolerance;
        return new MetricRecommendation(target.Name, mode, t, latest.PerPod, latest.PerPod, raw, raw);
    }

    private static int PerPod(double mean, int sampled, double t, int current, in RecommendContext ctx)
    {
        double ratio = mean / t;
        int missing = Math.Max(0, current - sampled);
        if (missing == 0)
        {
            return Within(ratio, ctx) ? current : ReplicaMath.Ceil(ratio * sampled);
        }

        // Kubernetes fills in missing pods only when the direction is known; at exactly the target they change nothing.
        double assumed = ratio < 1 ? t : ratio > 1 ? 0 : mean;
        double adjusted = ((mean * sampled) + (assumed * missing)) / (t * (sampled + missing));
        if (Within(adjusted, ctx) || (ratio < 1 && adjusted > 1) || (ratio > 1 && adjusted < 1))
        {
            return current;
        }

        int replicas = ReplicaMath.Ceil(adjusted * (sampled + missing));
        return (adjusted < 1 && replicas > current) || (adjusted > 1 && replicas < current) ? current : replicas;
    }

    private static int WholeTarget(double total, double t, int current, in RecommendContext ctx) =>
        current == 0 || !Within(total / (t * current), ctx) ? ReplicaMath.Ceil(total / t) : current;

    private static bool Within(double ratio, in RecommendContext ctx) =>
        ratio >= 1 ? ratio - 1 <= ctx.Settings.ScaleUpTolerance : 1 - ratio <= ctx.Settings.ScaleDownTolerance;
}
