namespace AIBrix.Autoscaling;

/// <summary>
/// One metric an autoscaler scales on and the value it aims for: per pod for pod, resource and custom sources,
/// per pod of the target for an external total.
/// </summary>
/// <param name="Name">The metric (e.g. <c>gpu_cache_usage_perc</c>, <c>num_requests_waiting</c>).</param>
/// <param name="Source">Where the values come from.</param>
/// <param name="TargetValue">The value to hold each pod at; finite and above zero.</param>
public sealed record MetricTarget(string Name, MetricSourceType Source, double TargetValue)
{
    /// <summary>
    /// An external metric whose name ends in <c>replicas</c> (the GPU optimizer's <c>vllm:deployment_replicas</c>)
    /// is already a replica count: it is the recommendation as it stands, never divided by
    /// <see cref="TargetValue"/> (AIBrix #461).
    /// </summary>
    public bool IsReplicaCount =>
        Source == MetricSourceType.External && Name.EndsWith("replicas", StringComparison.OrdinalIgnoreCase);
}
