using AIBrix.EngineSim;

namespace AIBrix.Bench.Autoscaling;

/// <summary>
/// The engine metrics an autoscaler in the closed loop can scale on, read from the simulated engines as their
/// <c>/metrics</c> would show them (vLLM's names; a <c>vllm:</c> prefix is accepted), with a default target each.
/// </summary>
public static class ScalingMetrics
{
    /// <summary>KV-cache usage, 0-1.</summary>
    public const string KvCacheUsage = "gpu_cache_usage_perc";

    /// <summary>Requests in the running batch.</summary>
    public const string Running = "num_requests_running";

    /// <summary>Requests queued.</summary>
    public const string Waiting = "num_requests_waiting";

    /// <summary>Every name, for help and errors.</summary>
    public static readonly string[] Names = [KvCacheUsage, "kv_cache_usage_perc", Running, Waiting];

    /// <summary>The metric's canonical name and reader; false for an unknown name.</summary>
    public static bool TryGet(string name, out string canonical, out Func<EngineModel, double> read)
    {
        string bare = name.StartsWith("vllm:", StringComparison.OrdinalIgnoreCase) ? name[5..] : name;
        (canonical, read) = bare.ToLowerInvariant() switch
        {
            KvCacheUsage or "kv_cache_usage_perc" => (KvCacheUsage, e => e.KvCacheUsage),
            Running => (Running, e => e.RunningCount),
            Waiting => (Waiting, (Func<EngineModel, double>)(e => e.WaitingCount)),
            _ => ("", null!),
        };
        return read is not null;
    }

    /// <summary>A per-pod target that keeps the simulated H100 below saturation on the shipped traces.</summary>
    public static double DefaultTarget(string canonical) => canonical switch
    {
        KvCacheUsage => 0.5,
        Running => 24,
        _ => 2,
    };
}
