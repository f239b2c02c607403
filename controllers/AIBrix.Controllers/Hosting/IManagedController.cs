namespace AIBrix.Controllers.Hosting;

/// <summary>
/// One controller the manager runs (ModelAdapter, PodAutoscaler, the fleets, ...): its name as <c>--controllers</c>
/// and the metrics label know it, a run loop that lasts until cancelled (the manager cancels it when leadership is
/// lost and calls it again when leadership returns, so each run must start from a full pass), and its counters.
/// </summary>
public interface IManagedController
{
    /// <summary>The controller's name (<c>modeladapter</c>), as <c>--controllers</c> and the metrics label spell it.</summary>
    string Name { get; }

    /// <summary>Reconciles run so far.</summary>
    long Reconciles { get; }

    /// <summary>Reconciles that threw.</summary>
    long Errors { get; }

    /// <summary>Keys waiting in the work queue.</summary>
    int QueueDepth { get; }

    /// <summary>
    /// Whether it runs only on the leader (the default: it writes). A read-only controller answering HTTP routes (the
    /// GPU optimizer) runs on every replica, so whichever replica a Service picks can answer.
    /// </summary>
    bool RequiresLeadership => true;

    /// <summary>Runs informers and workers until cancelled.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}
