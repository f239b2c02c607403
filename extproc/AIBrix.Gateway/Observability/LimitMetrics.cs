using AIBrix.Gateway.Core.Limits;
using Prometheus;

namespace AIBrix.Gateway.Observability;

/// <summary>Limit metrics, in the gateway's registry: admissions by verdict, store errors and outages.</summary>
internal sealed class LimitMetrics : ILimitObserver
{
    private readonly Counter _admissions;
    private readonly Counter _storeErrors;
    private readonly Counter _outages;

    public LimitMetrics(GatewayMetrics metrics)
    {
        var factory = Metrics.WithCustomRegistry(metrics.Registry);
        _admissions = factory.CreateCounter(
            "aibrix_gateway_limit_admissions_total",
            "Limit admissions by verdict (admitted, rpm, tpm, model_rps, unknown_user).",
            new CounterConfiguration { LabelNames = ["verdict"] });
        _storeErrors = factory.CreateCounter("aibrix_gateway_limit_store_errors_total", "Limit store (Redis) calls that failed.");
        _outages = factory.CreateCounter("aibrix_gateway_limit_store_outages_total", "Times the limit store (Redis) became unreachable.");
    }

    public void OnAdmission(AdmissionVerdict verdict) => _admissions.WithLabels(verdict switch
    {
        AdmissionVerdict.Admitted => "admitted",
        AdmissionVerdict.UserRequests => "rpm",
        AdmissionVerdict.UserTokens => "tpm",
        AdmissionVerdict.ModelRequests => "model_rps",
        _ => "unknown_user",
    }).Inc();

    public void OnStoreError() => _storeErrors.Inc();

    public void OnStoreOutage() => _outages.Inc();
}
