namespace AIBrix.Gateway.Core.Limits;

/// <summary>Limit events for metrics; calls must be cheap and must not throw.</summary>
public interface ILimitObserver
{
    /// <summary>An admission ended with <paramref name="verdict"/>.</summary>
    void OnAdmission(AdmissionVerdict verdict);

    /// <summary>The store became unreachable (once per outage).</summary>
    void OnStoreOutage();

    /// <summary>The store failed one call (every failure, outage or not).</summary>
    void OnStoreError();
}
