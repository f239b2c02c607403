namespace AIBrix.Controllers.Hosting;

/// <summary>The controllers the manager can run, by the names <c>--controllers</c> takes.</summary>
public static class ControllerNames
{
    /// <summary>LoRA adapters on model pods (<c>model.aibrix.ai</c> ModelAdapter).</summary>
    public const string ModelAdapter = "modeladapter";

    /// <summary>Scaling on LLM metrics (<c>autoscaling.aibrix.ai</c> PodAutoscaler).</summary>
    public const string PodAutoscaler = "podautoscaler";

    /// <summary>Multi-node fleets: RayClusterFleet and RayClusterReplicaSet (<c>orchestration.aibrix.ai</c>) over KubeRay RayClusters.</summary>
    public const string Fleet = "fleet";

    /// <summary>A Service and a Gateway API HTTPRoute per model for workloads labelled <c>model.aibrix.ai/name</c>.</summary>
    public const string ModelRouter = "modelrouter";

    /// <summary>
    /// AIBrix's GPU optimizer: replica counts per GPU type from profiles and request traces in Redis, served to
    /// PodAutoscalers. Not in <see cref="All"/>: it needs <c>--gpu-optimizer-redis</c>.
    /// </summary>
    public const string GpuOptimizer = "gpuoptimizer";

    /// <summary>
    /// The cold-start placement hint: polls the AI runtimes' <c>/v1/artifacts</c> and labels Nodes
    /// <c>artifacts.aibrix.ai/&lt;model&gt;: memory|disk</c> (docs/runtime-coldstart.md). Not in <see cref="All"/>: it
    /// patches Nodes, a cluster-wide grant the chart gives only when asked.
    /// </summary>
    public const string ColdStart = "coldstart";

    /// <summary>The controllers that run by default, in the order they start; the default of <c>--controllers</c>.</summary>
    public static IReadOnlyList<string> All { get; } = [ModelAdapter, ModelRouter, PodAutoscaler, Fleet];

    /// <summary>Every name <c>--controllers</c> accepts: <see cref="All"/> and those only run when named.</summary>
    public static IReadOnlyList<string> Known { get; } = [.. All, GpuOptimizer, ColdStart];
}
