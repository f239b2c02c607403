using AIBrix.Autoscaling.Decisions;

namespace AIBrix.Autoscaling.Recommenders;

/// <summary>
/// An external metric that is already a replica count (the GPU optimizer's): its newest value, rounded up, is
/// the recommendation, whatever the strategy and never divided by the target value (AIBrix #461). Cooldowns,
/// schedules and the bounds still apply after it.
/// </summary>
internal static class ReplicaCountRecommender
{
    public static MetricRecommendation Recommend(MetricState metric, ref RecommendContext ctx)
    {
        if (metric.Fresh(ctx.Now, ctx.Settings.StableWindow) is not { } latest)
        {
            return MetricRecommendation.NoData(metric.Target);
        }

        int replicas = ReplicaMath.Ceil(latest.Total);
        return new MetricRecommendation(
            metric.Target.Name, RecommendationMode.ReplicaCount, metric.Target.TargetValue, latest.Total, latest.Total, replicas, replicas);
    }
}
