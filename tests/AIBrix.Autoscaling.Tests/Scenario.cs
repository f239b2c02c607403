using AIBrix.Autoscaling.Decisions;
using AIBrix.Autoscaling.Observations;
using Microsoft.Extensions.Time.Testing;

namespace AIBrix.Autoscaling.Tests;

/// <summary>An autoscaler on a fake clock starting at t = 0, driven tick by tick as a controller (or the simulation) would.</summary>
internal sealed class Scenario
{
    public static readonly DateTimeOffset Epoch = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    public Scenario(AutoscalerSettings settings, int readyPodsAtStart = 0)
    {
        Clock = new FakeTimeProvider(Epoch);
        Autoscaler = new Autoscaler(settings, Clock, readyPodsAtStart);
    }

    public FakeTimeProvider Clock { get; }

    public Autoscaler Autoscaler { get; }

    /// <summary>Seconds since the epoch.</summary>
    public double Now => (Clock.GetUtcNow() - Epoch).TotalSeconds;

    /// <summary>Moves the clock to <paramref name="seconds"/> after the epoch.</summary>
    public Scenario At(double seconds)
    {
        Clock.SetUtcNow(Epoch + TimeSpan.FromSeconds(seconds));
        return this;
    }

    /// <summary>Observes a whole-target total for metric 0 and decides, at <paramref name="seconds"/>.</summary>
    public ScaleDecision Tick(double seconds, double total, int current, int ready)
    {
        At(seconds);
        Assert.Equal(ObservationStatus.Recorded, Autoscaler.Observe(0, MetricObservation.FromTotal(total, ready)));
        return Autoscaler.Decide(new ScaleState(current, ready));
    }

    /// <summary>Observes <paramref name="ready"/> pods each at <paramref name="perPod"/> for metric 0 and decides.</summary>
    public ScaleDecision TickPods(double seconds, double perPod, int current, int ready)
    {
        At(seconds);
        Assert.Equal(ObservationStatus.Recorded, Autoscaler.Observe(0, MetricObservation.FromPods(perPod * ready, ready, ready)));
        return Autoscaler.Decide(new ScaleState(current, ready));
    }

    /// <summary>Settings for one metric named <c>load</c> with both cooldowns and the scale-up lookahead off, so a test sees the strategy alone.</summary>
    public static AutoscalerSettings Settings(ScalingStrategy strategy, double target = 10, int min = 1, int max = 100) => new()
    {
        Strategy = strategy,
        MinReplicas = min,
        MaxReplicas = max,
        Metrics = [new MetricTarget("load", MetricSourceType.Pod, target)],
        ScaleUpCooldown = TimeSpan.Zero,
        ScaleDownCooldown = TimeSpan.Zero,
        ScaleUpLookahead = TimeSpan.Zero,
    };
}
