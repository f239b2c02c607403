using AIBrix.Autoscaling.Recommenders;
using AIBrix.Autoscaling.Stabilisation;

namespace AIBrix.Autoscaling;

/// <content>Taking a changed spec without losing the history that still applies.</content>
public sealed partial class Autoscaler
{
    /// <summary>
    /// Takes new settings (the PodAutoscaler changed) and keeps what still applies: each metric that is still
    /// listed with the same source keeps its samples and KPA panic state; the cooldown history is kept unless the
    /// granularity changed; HPA's replica history is kept while the strategy stays HPA with the same rates.
    /// </summary>
    /// <exception cref="ArgumentException">The settings do not validate.</exception>
    public void Update(AutoscalerSettings settings)
    {
        Check(settings);
        var old = Settings;
        var metrics = new MetricState[settings.Metrics.Count];
        for (int i = 0; i < metrics.Length; i++)
        {
            var target = settings.Metrics[i];
            var state = NewState(target, settings);
            var previous = Array.Find(_metrics, m => m.Target.Name == target.Name && m.Target.Source == target.Source);
            if (previous is not null)
            {
                state.Window.CopyFrom(previous.Window);
                state.Latest = previous.Latest;
                if (settings.Strategy == ScalingStrategy.Kpa && old.Strategy == ScalingStrategy.Kpa)
                {
                    state.PanicSince = previous.PanicSince;
                    state.MaxPanicPods = previous.MaxPanicPods;
                }
            }

            metrics[i] = state;
        }

        _metrics = metrics;
        if (settings.Granularity != old.Granularity)
        {
            _cooldown = new CooldownStabiliser(settings.Granularity);
        }

        if (settings.Strategy != old.Strategy || settings.MaxScaleUpRate != old.MaxScaleUpRate || settings.MaxScaleDownRate != old.MaxScaleDownRate)
        {
            _hpaRate = NewRateLimiter(settings);
        }

        Settings = settings;
    }
}
