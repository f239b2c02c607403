namespace AIBrix.GpuOptimizer;

/// <summary>One GPU type the optimizer may use: its profile and how many replicas it may (or must) have.</summary>
/// <param name="Profile">What one replica serves and costs.</param>
public sealed record GpuPool(GpuProfile Profile)
{
    /// <summary>The deployment's name (the profile's <c>gpu</c>).</summary>
    public string Name => Profile.Gpu;

    /// <summary>Replicas kept even with no load (e.g. 1 to stay warm).</summary>
    public int MinReplicas { get; init; }

    /// <summary>Most replicas available (GPUs in the cluster or quota); null = no limit.</summary>
    public int? MaxReplicas { get; init; }
}
