using AIBrix.Autoscaling.Annotations;
using AIBrix.Autoscaling.Spec;
using AIBrix.Kubernetes.Crds;
using k8s;

namespace AIBrix.Controllers.PodAutoscalers;

/// <summary>The CRD object as the autoscaling library reads it.</summary>
internal static class PodAutoscalerSpecs
{
    /// <summary>The spec and its <c>autoscaling.aibrix.ai/*</c> annotations, parsed with every problem.</summary>
    public static SettingsParseResult Parse(PodAutoscaler pa) => AutoscalerSpecParser.Parse(ToLibrary(pa.Spec), Annotations(pa));

    /// <summary>
    /// What the autoscaler was built from: the generation's spec and the annotations. When it changes, the autoscaler
    /// takes the new settings; status writes don't change it.
    /// </summary>
    public static string Fingerprint(PodAutoscaler pa) =>
        KubernetesJson.Serialize(pa.Spec) + "|" + string.Join(",", Annotations(pa).OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Key + "=" + a.Value));

    /// <summary>The spec without Kubernetes types.</summary>
    public static AutoscalerSpec ToLibrary(PodAutoscalerSpec spec) => new()
    {
        ScalingStrategy = spec.ScalingStrategy,
        MinReplicas = spec.MinReplicas,
        MaxReplicas = spec.MaxReplicas,
        MetricsSources = spec.MetricsSources?.Select(s => new MetricSourceSpec(s.MetricSourceType, s.TargetMetric, s.TargetValue)).ToList() ?? [],
        ObserveWindowSeconds = spec.ObserveWindowSeconds,
        PanicWindowSeconds = spec.PanicWindowSeconds,
        Schedules = spec.Schedules?.Select(s => new ScheduleSpec
        {
            Name = s.Name, Timezone = s.Timezone, DaysOfWeek = s.DaysOfWeek, StartTime = s.StartTime, EndTime = s.EndTime,
            MinReplicas = s.MinReplicas, MaxReplicas = s.MaxReplicas,
        }).ToList() ?? [],
    };

    private static Dictionary<string, string> Annotations(PodAutoscaler pa) =>
        pa.Metadata.Annotations?.Where(a => a.Key.StartsWith(AutoscalingAnnotations.Prefix, StringComparison.Ordinal))
            .ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal) ?? [];
}
