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

    /// <summary>
    /// A metric whose name ends in <c>arrival_rate</c> (the gateway's <c>aibrix_gateway_model_arrival_rate</c>) is the
    /// requests per second arriving for the target's model, one value for the whole target. KPA and APA read it as
    /// demand beside an engine metric (Little's law, see <see cref="Autoscaler"/>); HPA, and KPA/APA with no engine
    /// metric, scale on it as an ordinary metric with <see cref="TargetValue"/> requests per second a pod.
    /// </summary>
    public bool IsArrivalRate => Name.EndsWith("arrival_rate", StringComparison.OrdinalIgnoreCase);
}
