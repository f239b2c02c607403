using AIBrix.EngineMetrics;

namespace AIBrix.Gateway.Core.Endpoints;

/// <summary>
/// The engine-metric loads the "least X" policies compare, computed once per scrape instead of once
/// per candidate per decision. A value is NaN when the engine did not report what it needs.
/// </summary>
/// <param name="KvGpu">GPU KV-cache usage in [0,1].</param>
/// <param name="KvTotal">GPU plus CPU (offloaded) KV-cache usage; NaN when the GPU usage is missing.</param>
/// <param name="BusyTime">(running + waiting) × mean end-to-end latency, in seconds.</param>
/// <param name="LatencyBase">Mean queue time plus mean TTFT, in seconds; NaN when none of queue time, TTFT and TPOT is reported.</param>
/// <param name="TpotMean">Mean time per output token, in seconds (0 when not reported).</param>
internal readonly record struct LoadSignals(double KvGpu, double KvTotal, double BusyTime, double LatencyBase, double TpotMean)
{
    public static LoadSignals Missing { get; } = new(double.NaN, double.NaN, double.NaN, double.NaN, 0);

    public static LoadSignals From(EngineMetricsSnapshot metrics)
    {
        double gpu = metrics.KvCacheUsage ?? double.NaN;
        double busy = metrics.Running is { } running && metrics.Waiting is { } waiting
            ? (running + waiting) * (metrics.EndToEndLatency?.Mean ?? 0)
            : double.NaN;
        bool anyLatency = metrics.QueueTime is not null || metrics.TimeToFirstToken is not null || metrics.TimePerOutputToken is not null;
        double latencyBase = anyLatency ? (metrics.QueueTime?.Mean ?? 0) + (metrics.TimeToFirstToken?.Mean ?? 0) : double.NaN;
        return new LoadSignals(gpu, gpu + (metrics.CpuKvCacheUsage ?? 0), busy, latencyBase, metrics.TimePerOutputToken?.Mean ?? 0);
    }
}
