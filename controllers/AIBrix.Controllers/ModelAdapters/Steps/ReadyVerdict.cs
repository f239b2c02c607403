using System.Globalization;
using AIBrix.Kubernetes.Crds;

namespace AIBrix.Controllers.ModelAdapters.Steps;

/// <summary>
/// Step: conclude. Pure: the phase, the Ready condition and when to look again, from what this reconcile achieved.
/// </summary>
/// <param name="Phase">One of <see cref="ModelAdapterPhase"/>.</param>
/// <param name="Ready">The Ready condition.</param>
/// <param name="RequeueAfter">When to reconcile again: the load backoff while retrying, else the resync period.</param>
/// <param name="GaveUp">True when the loads failed for the last allowed time: the adapter is Failed until its spec changes.</param>
internal sealed record ReadyVerdict(string Phase, AdapterCondition Ready, TimeSpan RequeueAfter, bool GaveUp)
{
    /// <summary>
    /// Decides from the confirmed replicas, the wanted ones and the last failed load, if any. A failure backs off and,
    /// at attempt <see cref="ModelAdapterOptions.MaxLoadAttempts"/> with nothing loaded, gives up.
    /// </summary>
    public static ReadyVerdict Decide(int loaded, int replicas, string? failure, int attempt, ModelAdapterOptions options)
    {
        if (failure is not null)
        {
            if (attempt >= options.MaxLoadAttempts && loaded == 0)
            {
                return new(ModelAdapterPhase.Failed, Condition(false, "LoadFailed", $"gave up after {attempt} attempts: {failure}"), options.Resync, GaveUp: true);
            }

            return new(loaded > 0 ? ModelAdapterPhase.Running : ModelAdapterPhase.Scheduled,
                Condition(loaded > 0, "Retrying", $"attempt {attempt}: {failure}"), options.LoadRetry.Delay(attempt), GaveUp: false);
        }

        return loaded > 0
            ? new(ModelAdapterPhase.Running, Condition(true, "Loaded", string.Create(CultureInfo.InvariantCulture, $"{loaded}/{replicas} replicas loaded")), options.Resync, false)
            : new(ModelAdapterPhase.Pending, Condition(false, "NoCandidates", "waiting for a ready pod"), options.Resync, false);
    }

    /// <summary>
    /// True when an earlier reconcile gave up on this generation of the spec: it stays Failed until the spec changes,
    /// so a broken adapter does not loop through loads.
    /// </summary>
    public static bool GaveUpOn(ModelAdapterStatus status, long? generation) =>
        status.Phase == ModelAdapterPhase.Failed && status.ObservedGeneration == generation
        && status.Conditions?.Any(c => c.Type == AdapterCondition.Ready && c.Reason == "LoadFailed") == true;

    private static AdapterCondition Condition(bool status, string reason, string message) => new(AdapterCondition.Ready, status, reason, message);
}
