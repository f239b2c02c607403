using AIBrix.Autoscaling.Decisions;
using AIBrix.Autoscaling.Recommenders;

namespace AIBrix.Autoscaling;

/// <summary>
/// The arrival-rate demand signal (KPA and APA, when a metric is an arrival rate, <see cref="MetricTarget.IsArrivalRate"/>).
/// An engine metric mixes demand with backlog: requests queued on the ready pods during a start-up keep it high
/// after the arrivals have fallen, and it rises only once requests have reached the engines. The gateway sees the
/// arrivals themselves. By Little's law the engine metric's total L is the arrival rate λ times the time W a request
/// stays counted in it, so W = L ÷ λ over the stable window and one pod carries target ÷ W requests a second at
/// the engine target. The demand estimate is ceil(λ now × W ÷ target):
/// <list type="bullet">
/// <item>above the engine metric's count it is the proposal: a step in arrivals scales up at the next decision,
/// before the engines have filled;</item>
/// <item>below it, the engine metric is the check: the count goes no lower than keeps the engines' newest total
/// within the target and its scale-up tolerance;</item>
/// <item>when the estimate, on the arrivals now and on where their trend reaches <see cref="AutoscalerSettings.ScaleUpLookahead"/>
/// ahead, is below the current count, demand clearly fell, and the scale-down cooldown is the shorter
/// <see cref="AutoscalerSettings.DemandScaleDownCooldown"/>.</item>
/// </list>
/// W is learned while the pods run steadily within 25 % of their target (a request takes longer in a fuller batch;
/// a backlog inflates L ÷ λ, so unsteady windows are not learned from), and read from the stable window until then. Until the stable window holds both metrics (and arrivals above zero), the arrival metric's own target (requests
/// a second a pod) stands in for target ÷ W. HPA reads an arrival-rate metric as an ordinary one.
/// </summary>
public sealed partial class Autoscaler
{
    // W is learned, as a moving average, from stable windows whose per-pod load is within LearnBand of the target and
    // whose last minute (the APA window) is within SteadyWithin of the whole window, arrivals and engine load alike:
    // a backlog (engine load rising or falling against steady arrivals) inflates L ÷ λ and is not learned from.
    private const double LearnBand = 0.25;
    private const double LearnRate = 0.2;
    private const double SteadyWithin = 0.1;

    // Demand clearly fell when the arrivals (now, the APA window's mean and its trend one lookahead on) are this
    // fraction below the stable window's mean: well outside a steady Poisson stream's noise over a minute.
    private const double FellBy = 0.25;

    private int ArrivalMetric()
    {
        if (Settings.Strategy == ScalingStrategy.Hpa)
        {
            return -1;
        }

        for (int i = 0; i < _metrics.Length; i++)
        {
            if (_metrics[i].Target.IsArrivalRate && !_metrics[i].Target.IsReplicaCount)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The demand recommendation of arrival metric <paramref name="arrival"/>, against engine metric <paramref name="engine"/> (−1: none).</summary>
    private MetricRecommendation Demand(int arrival, int engine, ref RecommendContext ctx, out int checkFloor, out bool fell, out bool rose)
    {
        checkFloor = 0;
        fell = false;
        rose = false;
        var state = _metrics[arrival];
        var latest = state.Fresh(ctx.Now, Settings.StableWindow);
        if (latest is null)
        {
            return MetricRecommendation.NoData(state.Target);
        }

        double lambda = latest.Value.Total;
        var arrivals = state.Window.Read(ctx.Now);
        double perPodRate = state.Target.TargetValue;
        if (engine >= 0)
        {
            var e = _metrics[engine];
            var stable = e.Window.Read(ctx.Now).Stable;
            if (stable.HasData && arrivals.Stable.HasData && arrivals.Stable.Total > 0 && stable.Total > 0)
            {
                double serviceSeconds = stable.Total / arrivals.Stable.Total;
                double load = stable.Total / ctx.Base / e.Target.TargetValue;
                var recentEngine = e.Window.Read(ctx.Now).Apa;
                bool steady = arrivals.Apa.HasData && recentEngine.HasData
                    && Math.Abs(arrivals.Apa.Total - arrivals.Stable.Total) <= SteadyWithin * arrivals.Stable.Total
                    && Math.Abs(recentEngine.Total - stable.Total) <= SteadyWithin * stable.Total;
                if (steady && load >= 1 - LearnBand && load <= 1 + LearnBand)
                {
                    state.ServiceSecondsAtTarget = state.ServiceSecondsAtTarget is { } w ? w + (LearnRate * (serviceSeconds - w)) : serviceSeconds;
                }

                perPodRate = e.Target.TargetValue / (state.ServiceSecondsAtTarget ?? serviceSeconds);
            }

            if (e.Fresh(ctx.Now, Settings.StableWindow) is { } newest)
            {
                checkFloor = ReplicaMath.Ceil(newest.Total / (e.Target.TargetValue * (1 + Settings.ScaleUpTolerance)));
            }
        }

        int demand = ReplicaMath.Ceil(lambda / perPodRate);
        double ahead = lambda;
        if (ctx.LooksAhead && arrivals.Apa.HasData)
        {
            ahead = Math.Max(ahead, arrivals.Apa.Projected(ctx.LookaheadBuckets));
        }

        // Demand clearly fell: the count it needs now and one lookahead on is below the current count, and the arrivals
        // are below the stable window's mean by more than the scale-down tolerance (pods asked for by a load that
        // has gone, not by an engine metric's noise on a steady demand).
        double recent = arrivals.Apa.HasData ? Math.Max(arrivals.Apa.Total, ctx.LooksAhead ? arrivals.Apa.Projected(ctx.LookaheadBuckets) : 0) : lambda;
        // Demand clearly rose: the arrivals now are a quarter above the stable window's mean (a step, not a stream's noise).
        rose = arrivals.Stable.HasData && lambda > arrivals.Stable.Total * (1 + FellBy);
        fell = ReplicaMath.Ceil(Math.Max(ahead, recent) / perPodRate) < ctx.Current
            && arrivals.Stable.HasData && Math.Max(ahead, recent) < arrivals.Stable.Total * (1 - FellBy);
        return new MetricRecommendation(state.Target.Name, RecommendationMode.Demand, perPodRate, lambda, ahead, demand, demand);
    }
}
