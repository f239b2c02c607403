namespace AIBrix.Autoscaling.Decisions;

/// <summary>The scale target as it is when a decision is asked for.</summary>
/// <param name="CurrentReplicas">The replica count the target asks for now (its scale subresource's <c>spec.replicas</c>), starting pods included.</param>
/// <param name="ReadyPods">Pods of the target that are ready.</param>
public readonly record struct ScaleState(int CurrentReplicas, int ReadyPods);
