using AIBrix.EngineSim;

namespace AIBrix.Bench.Replay;

/// <summary>
/// Decides the size of a virtual replay's fleet as it runs (an autoscaler in the loop): the replay asks at
/// <see cref="NextDecisionSeconds"/> and brings the fleet to the answer, new pods ready only after the start-up
/// time, removed pods out of routing at once and gone when their last request finishes.
/// </summary>
public interface IFleetScaler
{
    /// <summary>Virtual seconds of the next decision; <see cref="double.PositiveInfinity"/> for none.</summary>
    double NextDecisionSeconds { get; }

    /// <summary>Pods a new pod takes to become ready, virtual seconds.</summary>
    double PodStartupSeconds { get; }

    /// <summary>The pod count wanted (starting and ready) at <paramref name="now"/>, given the fleet as it is.</summary>
    int Decide(double now, FleetStatus fleet);

    /// <summary>Virtual seconds of the next metrics scrape that a later decision reads (a scraper that lags); none by default.</summary>
    double NextScrapeSeconds => double.PositiveInfinity;

    /// <summary>Reads the ready pods' metrics at <paramref name="now"/>, for the decision that comes after.</summary>
    void Scrape(double now, FleetStatus fleet)
    {
    }

    /// <summary>
    /// A new pod (index <paramref name="pod"/>) is asked for at <paramref name="now"/>: seconds until it is ready;
    /// <see cref="PodStartupSeconds"/> by default, the node's artifact tier with the cold-start model.
    /// </summary>
    double StartPod(int pod, double now) => PodStartupSeconds;

    /// <summary>Pod <paramref name="pod"/> is gone (its node's slot is free).</summary>
    void PodGone(int pod)
    {
    }
}

/// <summary>The fleet when a decision is asked for.</summary>
/// <param name="Desired">Pods asked for: ready and starting (the scale subresource's replicas).</param>
/// <param name="ReadyEngines">The ready pods' engines, whose metrics a scraper reads.</param>
/// <param name="Arrivals">Requests that have arrived at the gateway so far (its per-model arrival counter).</param>
public readonly record struct FleetStatus(int Desired, IReadOnlyList<EngineModel> ReadyEngines, long Arrivals = 0)
{
    /// <summary>Ready pods.</summary>
    public int Ready => ReadyEngines.Count;
}

/// <summary>What the fleet did over a run: its decisions and the pod time it cost.</summary>
public sealed class FleetHistory
{
    /// <summary>At each decision: virtual seconds, the desired count and the ready pods.</summary>
    public List<(double Seconds, int Desired, int Ready)> Replicas { get; } = [];

    /// <summary>Decisions that changed the desired count.</summary>
    public int ScaleEvents { get; set; }

    /// <summary>Changes in the opposite direction to the change before them (up then down, or down then up).</summary>
    public int DirectionReversals { get; set; }

    /// <summary>Provisioned pod time, starting and draining pods included, virtual seconds.</summary>
    public double PodSeconds { get; set; }

    /// <summary>Most pods provisioned at once.</summary>
    public int PeakPods { get; set; }
}
