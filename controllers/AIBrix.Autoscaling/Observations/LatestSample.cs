namespace AIBrix.Autoscaling.Observations;

/// <summary>The newest observation of a metric, as HPA and replica-count metrics read it (they use no window).</summary>
/// <param name="At">When it was recorded.</param>
/// <param name="Total">The target's total.</param>
/// <param name="PerPod">The per-pod value.</param>
/// <param name="SampledPods">Pods that answered (0 for a whole-target value).</param>
/// <param name="ReadyPods">Ready pods at the scrape.</param>
internal readonly record struct LatestSample(DateTimeOffset At, double Total, double PerPod, int SampledPods, int ReadyPods);
