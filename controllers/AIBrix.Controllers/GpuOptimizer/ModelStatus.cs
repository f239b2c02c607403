namespace AIBrix.Controllers.GpuOptimizer;

/// <summary>One deployment in the optimizer's status: what it has, its floor, any override, and what is suggested.</summary>
public sealed record DeploymentStatus(string Namespace, string Name, int Replicas, int MinReplicas, bool Profiled, int? Override, int? Suggested);

/// <summary>One model in the optimizer's status (<c>GET /gpu-optimizer/status</c>).</summary>
public sealed record ModelStatus(
    string Model,
    bool Monitoring,
    IReadOnlyList<DeploymentStatus> Deployments,
    double? LoadRequestsPerSecond,
    string? Reason,
    DateTimeOffset? DecidedAt,
    IReadOnlyList<string> Errors);
