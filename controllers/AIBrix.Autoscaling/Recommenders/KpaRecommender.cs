using AIBrix.Autoscaling.Decisions;

namespace AIBrix.Autoscaling.Recommenders;

/// <summary>
/// Knative's KPA (serving pkg/autoscaler/scaling/autoscaler.go), on the target's total over the stable and panic
/// windows: desired = ceil(total / target), at most ready × up-rate. Panic starts when the panic window asks for at
/// least panic-threshold × ready pods, and holds (the count never goes down) until the threshold has not been
/// crossed for a whole stable window. The panic state lives in <see cref="MetricState"/>, so it survives between
/// decisions. With a scale-up lookahead the count is at least what the panic window's least-squares trend reaches
/// that far ahead (so pods asked for now are ready when that load comes); a falling trend changes nothing. The down-rate is applied to the decision after the cooldown (see <see cref="Autoscaler"/>): clamped
/// here, as Knative does, every halving would wait out a whole scale-down cooldown of its own.
/// </summary>
internal static class KpaRecommender
{
    public static MetricRecommendation Recommend(MetricState metric, ref RecommendContext ctx)
    {
        var reading = metric.Window.Read(ctx.Now);
        var latest = metric.Fresh(ctx.Now, ctx.Settings.StableWindow);
        if (!reading.Stable.HasData || latest is null)
        {
            return MetricRecommendation.NoData(metric.Target);
        }

        var target = metric.Target;
        double stable = reading.Stable.Total;
        double panic = reading.Panic.HasData ? reading.Panic.Total : latest.Value.Total;
        int dspc = ReplicaMath.Ceil(stable / target.TargetValue);
        int dppc = ReplicaMath.Ceil(panic / target.TargetValue);

        // Clamped before the panic high-water mark, as Knative does, so the mark never runs ahead of what was asked for.
        int maxUp = ctx.MaxUp;

        bool overThreshold = (double)dppc / ctx.Base >= ctx.Settings.PanicThreshold;
        if (overThreshold)
        {
            metric.PanicSince = ctx.Now;
        }
        else if (metric.PanicSince is { } since && since + ctx.Settings.StableWindow < ctx.Now)
        {
            metric.PanicSince = null;
            metric.MaxPanicPods = 0;
        }

        bool inPanic = metric.PanicSince is not null;
        int raw = inPanic ? Math.Max(dspc, dppc) : dspc;
        if (ctx.LooksAhead && reading.Panic.HasData)
        {
            // Outside Knative: the panic window's trend, one lookahead on, can only raise the count.
            int ahead = ReplicaMath.Ceil(Math.Max(0, reading.Panic.Projected(ctx.LookaheadBuckets)) / target.TargetValue);
            raw = ctx.Apply(ScaleLimit.Lookahead, raw, Math.Max(raw, ahead), target.Name);
        }

        int desired = raw;
        desired = ctx.Apply(ScaleLimit.ScaleUpRate, desired, Math.Min(desired, maxUp), target.Name);
        if (ctx.Settings.ActivationScale > 1 && raw > 0 && desired < ctx.Settings.ActivationScale)
        {
            desired = ctx.Apply(ScaleLimit.ActivationScale, desired, ctx.Settings.ActivationScale, target.Name);
        }

        if (inPanic)
        {
            metric.MaxPanicPods = Math.Max(metric.MaxPanicPods, desired);
            desired = ctx.Apply(ScaleLimit.PanicNoScaleDown, desired, metric.MaxPanicPods, target.Name);
        }

        var mode = inPanic ? RecommendationMode.Panic : RecommendationMode.Stable;
        return new MetricRecommendation(target.Name, mode, target.TargetValue, stable, panic, raw, desired);
    }
}
