using AIBrix.Bench.Replay;

namespace AIBrix.Bench.Autoscaling.ColdStart;

/// <summary>
/// A strategy in the loop whose new pods start as fast as their node holds the model: it forwards every decision to
/// the strategy it wraps and places each new pod on the <see cref="NodePool"/>, its start-up time the
/// <see cref="StartupModel"/>'s for that node's tier. It keeps when each started pod becomes ready.
/// </summary>
public sealed class ColdStartScaler(IFleetScaler inner, ColdStartOptions options, int initialPods, int seed) : IFleetScaler
{
    private readonly List<(double Started, double Ready)> _starts = [];

    /// <summary>The pool.</summary>
    public NodePool Pool { get; } = new(options, initialPods, seed);

    /// <summary>When each new pod was asked for and became (or would become) ready, virtual seconds.</summary>
    public IReadOnlyList<(double Started, double Ready)> Starts => _starts;

    /// <inheritdoc/>
    public double NextDecisionSeconds => inner.NextDecisionSeconds;

    /// <inheritdoc/>
    public double PodStartupSeconds => inner.PodStartupSeconds;

    /// <inheritdoc/>
    public double NextScrapeSeconds => inner.NextScrapeSeconds;

    /// <inheritdoc/>
    public int Decide(double now, FleetStatus fleet) => inner.Decide(now, fleet);

    /// <inheritdoc/>
    public void Scrape(double now, FleetStatus fleet) => inner.Scrape(now, fleet);

    /// <inheritdoc/>
    public double StartPod(int pod, double now)
    {
        double seconds = options.Startup.SecondsFor(Pool.Place(pod));
        _starts.Add((now, now + seconds));
        return seconds;
    }

    /// <inheritdoc/>
    public void PodGone(int pod) => Pool.Release(pod);

    /// <summary>
    /// Seconds from the first scale-up to the moment <paramref name="target"/> pods are ready (the
    /// <paramref name="initialPods"/> and the started ones, counting none removed); null when never.
    /// </summary>
    public double? SecondsUntilReady(int target, int initialPods)
    {
        int needed = target - initialPods;
        if (needed <= 0 || _starts.Count < needed)
        {
            return needed <= 0 ? 0 : null;
        }

        var ready = _starts.Select(s => s.Ready).Order().ToList();
        return ready[needed - 1] - _starts[0].Started;
    }
}
