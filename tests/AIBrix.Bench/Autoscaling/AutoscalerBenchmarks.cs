using AIBrix.Autoscaling;
using AIBrix.Autoscaling.Decisions;
using AIBrix.Autoscaling.Observations;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Time.Testing;

namespace AIBrix.Bench.Autoscaling;

/// <summary>
/// One decision round of a controller that owns 1,000 PodAutoscalers of 8 pods each: per autoscaler, one
/// observation (the 8 pods' values summed) and one decision, with the clock moved on by the scrape interval.
/// The windows are at steady state (warmed for longer than the 180 s stable window) and the load varies every
/// round. The setup also prints the memory each autoscaler retains at steady state.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class AutoscalerRoundBenchmarks
{
    private const int Targets = 1000;
    private const int Pods = 8;
    private const int Patterns = 64;

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero));
    private Autoscaler[] _autoscalers = null!;
    private double[] _values = null!;
    private int _round;

    [Params(ScalingStrategy.Kpa, ScalingStrategy.Apa, ScalingStrategy.Hpa)]
    public ScalingStrategy Strategy { get; set; }

    /// <summary>Seconds between scrapes: 10 (the controller's default) or 1 (its fastest, the windows' worst case).</summary>
    [Params(10, 1)]
    public int IntervalSeconds { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _values = new double[Targets * Patterns * Pods];
        for (int i = 0; i < _values.Length; i++)
        {
            _values[i] = random.NextDouble(); // KV-cache usage of one pod
        }

        long before = GC.GetTotalMemory(forceFullCollection: true);
        _autoscalers = Create(Strategy, _clock, Targets);
        for (int r = 0; r < 400 / IntervalSeconds; r++)
        {
            Round();
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"// retained at steady state: {(after - before) / (double)Targets:0} bytes per autoscaler ({Strategy}, one metric, a sample every {IntervalSeconds} s)");
    }

    [Benchmark]
    public int Round()
    {
        _clock.Advance(TimeSpan.FromSeconds(IntervalSeconds));
        int pattern = _round++ % Patterns;
        int changes = 0;
        for (int i = 0; i < _autoscalers.Length; i++)
        {
            var pods = _values.AsSpan(((i * Patterns) + pattern) * Pods, Pods);
            _autoscalers[i].Observe(0, MetricObservation.FromPods(pods, Pods));
            changes += _autoscalers[i].Decide(new ScaleState(Pods, Pods)).Changes ? 1 : 0;
        }

        return changes;
    }

    internal static Autoscaler[] Create(ScalingStrategy strategy, TimeProvider clock, int count)
    {
        var settings = new AutoscalerSettings
        {
            Strategy = strategy,
            MinReplicas = 1,
            MaxReplicas = 32,
            Metrics = [new MetricTarget("gpu_cache_usage_perc", MetricSourceType.Pod, 0.5)],
        };
        return Enumerable.Range(0, count).Select(_ => new Autoscaler(settings, clock, readyPods: Pods)).ToArray();
    }
}
