using AIBrix.EngineSim;

namespace AIBrix.Bench.Replay;

/// <content>
/// The fleet's size over a run: pods start (costing pod time, routed only once ready), serve, and are removed
/// (unrouted at once, kept until their last request finishes, so a scale-down never drops a request).
/// </content>
public sealed partial class VirtualReplay
{
    private enum PodState { Starting, Ready, Draining, Gone }

    private readonly IFleetScaler? _scaler;
    private readonly List<PodState> _podStates = [];
    private readonly List<double> _podCreated = [];
    private readonly List<double> _podReadyAt = [];
    private readonly List<double> _podEnded = [];
    private readonly List<EngineModel> _readyEngines = [];
    private int _desired;
    private int _lastDirection;

    /// <summary>The fleet's decisions and cost (pod count constant without a scaler).</summary>
    public FleetHistory Fleet { get; } = new();

    private int AddPod(double now, bool ready, EngineConfig? config = null, string? name = null)
    {
        int i = _engines.Count;
        name ??= $"pod-{i}";
        var engine = new EngineModel(config ?? _engineConfig);
        engine.AdvanceTo(now);
        _engines.Add(engine);
        _podRequests.Add(0);
        _podIndex[name] = i;
        _byName[name] = engine;
        _podStates.Add(ready ? PodState.Ready : PodState.Starting);
        _podCreated.Add(now);
        _podReadyAt.Add(ready ? now : now + _scaler!.StartPod(i, now));
        _podEnded.Add(double.NaN);
        // Pods added during the run (autoscaling) publish to every replica too; the first ones are followed once the replicas exist.
        if (_gateways is not null && _options.UsesKvEvents)
        {
            FollowKvEvents(i);
        }

        return i;
    }

    private void StartFleet(double first)
    {
        for (int i = 0; i < _podCreated.Count; i++)
        {
            _podCreated[i] = first;
        }

        _desired = _engines.Count;
        Fleet.PeakPods = _desired;
    }

    /// <summary>The next decision, scrape or pod becoming ready.</summary>
    private double NextFleetEvent()
    {
        if (_scaler is null)
        {
            return double.PositiveInfinity;
        }

        double next = Math.Min(_scaler.NextDecisionSeconds, _scaler.NextScrapeSeconds);
        for (int i = 0; i < _podStates.Count; i++)
        {
            if (_podStates[i] == PodState.Starting && _podReadyAt[i] < next)
            {
                next = _podReadyAt[i];
            }
        }

        return next;
    }

    private void FleetEvent(double now)
    {
        bool changed = false;
        for (int i = 0; i < _podStates.Count; i++)
        {
            if (_podStates[i] == PodState.Starting && _podReadyAt[i] <= now)
            {
                _podStates[i] = PodState.Ready;
                changed = true;
            }
        }

        if (_scaler!.NextScrapeSeconds <= now || _scaler.NextDecisionSeconds <= now)
        {
            _readyEngines.Clear();
            for (int i = 0; i < _podStates.Count; i++)
            {
                if (_podStates[i] == PodState.Ready)
                {
                    _readyEngines.Add(_engines[i]);
                }
            }
        }

        if (_scaler.NextScrapeSeconds <= now)
        {
            _scaler.Scrape(now, new FleetStatus(_desired, _readyEngines, _arrived));
        }

        if (_scaler.NextDecisionSeconds <= now)
        {
            int desired = Math.Max(0, _scaler.Decide(now, new FleetStatus(_desired, _readyEngines, _arrived)));
            changed |= Resize(now, desired);
            Fleet.Replicas.Add((now, _desired, _podStates.Count(s => s == PodState.Ready)));
        }

        if (changed)
        {
            var routable = new List<(string, int)>();
            for (int i = 0; i < _podStates.Count; i++)
            {
                if (_podStates[i] == PodState.Ready)
                {
                    routable.Add(($"pod-{i}", i));
                }
            }

            foreach (var gateway in _gateways)
            {
                gateway.SetPods(routable);
                gateway.Scrape(_engines, At(now));
            }
        }
    }

    /// <summary>Brings the fleet to <paramref name="desired"/> pods; true when the routable set changed.</summary>
    private bool Resize(double now, int desired)
    {
        if (desired != _desired)
        {
            int direction = Math.Sign(desired - _desired);
            Fleet.ScaleEvents++;
            if (_lastDirection != 0 && direction != _lastDirection)
            {
                Fleet.DirectionReversals++;
            }

            _lastDirection = direction;
        }

        bool routingChanged = false;
        while (_desired < desired)
        {
            AddPod(now, ready: false);
            _desired++;
        }

        while (_desired > desired)
        {
            // A starting pod goes first (the newest: it has cost the least), then the ready pod with the least
            // work in flight, as a ReplicaSet deletes not-ready pods before ready ones.
            int victim = -1;
            for (int i = _podStates.Count - 1; i >= 0 && victim < 0; i--)
            {
                if (_podStates[i] == PodState.Starting)
                {
                    victim = i;
                }
            }

            if (victim < 0)
            {
                for (int i = _podStates.Count - 1; i >= 0; i--)
                {
                    if (_podStates[i] == PodState.Ready && (victim < 0 || Load(i) < Load(victim)))
                    {
                        victim = i;
                    }
                }

                routingChanged = true;
            }

            Remove(victim, now);
            _desired--;
        }

        Fleet.PeakPods = Math.Max(Fleet.PeakPods, _podStates.Count(s => s is PodState.Starting or PodState.Ready or PodState.Draining));
        return routingChanged;
    }

    private int Load(int pod) => _engines[pod].RunningCount + _engines[pod].WaitingCount;

    private void Remove(int pod, double now)
    {
        if (_podStates[pod] == PodState.Ready && Load(pod) > 0)
        {
            _podStates[pod] = PodState.Draining;
            return;
        }

        _podStates[pod] = PodState.Gone;
        _podEnded[pod] = now;
        _scaler?.PodGone(pod);
    }

    /// <summary>A request finished on <paramref name="pod"/>: a draining pod with nothing left is gone.</summary>
    private void Finished(int pod, double time)
    {
        if (_podStates[pod] == PodState.Draining && Load(pod) == 0)
        {
            _podStates[pod] = PodState.Gone;
            _podEnded[pod] = time;
            _scaler?.PodGone(pod);
        }
    }

    /// <summary>Pod time up to <paramref name="end"/>, the run's last answer.</summary>
    private void EndFleet(double end)
    {
        double total = 0;
        for (int i = 0; i < _podStates.Count; i++)
        {
            double until = _podStates[i] == PodState.Gone ? Math.Min(_podEnded[i], end) : end;
            total += Math.Max(0, until - _podCreated[i]);
        }

        Fleet.PodSeconds = total;
    }
}
