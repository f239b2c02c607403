using System.Globalization;
using AIBrix.Autoscaling;
using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Runtime;
using k8s;
using k8s.Models;

namespace AIBrix.Controllers.PodAutoscalers;

/// <summary>
/// Strategy HPA: an <c>autoscaling/v2</c> HorizontalPodAutoscaler of the PodAutoscaler's name, owned by it (so the
/// garbage collector removes it with the PodAutoscaler), kept equal to what the spec asks; removed when the strategy
/// changes or the PodAutoscaler is deleted. An HPA of that name that someone else owns is never touched.
/// </summary>
internal sealed class HpaSync(IKubernetes client)
{
    /// <summary>Creates or updates the HPA; returns null, or why it could not (an HPA of that name owned by someone else).</summary>
    public async Task<string?> EnsureAsync(PodAutoscaler pa, AutoscalerSettings settings, ScaleTarget target, CancellationToken cancellationToken)
    {
        string ns = pa.Metadata.NamespaceProperty, name = pa.Metadata.Name;
        var desired = Build(pa, settings, target);
        var existing = await ApiReads.OrNullAsync(() => client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync(name, ns, cancellationToken: cancellationToken));
        if (existing is null)
        {
            await client.AutoscalingV2.CreateNamespacedHorizontalPodAutoscalerAsync(desired, ns, cancellationToken: cancellationToken);
            return null;
        }

        if (!IsOwnedBy(existing, pa.Metadata.Name))
        {
            return $"HorizontalPodAutoscaler {ns}/{name} exists and is not owned by this PodAutoscaler";
        }

        if (KubernetesJson.Serialize(existing.Spec) == KubernetesJson.Serialize(desired.Spec))
        {
            return null;
        }

        existing.Spec = desired.Spec;
        await client.AutoscalingV2.ReplaceNamespacedHorizontalPodAutoscalerAsync(existing, name, ns, cancellationToken: cancellationToken);
        return null;
    }

    /// <summary>Deletes the HPA named <paramref name="name"/> when this controller's PodAutoscaler of that name owns it; true when one was deleted.</summary>
    public async Task<bool> DeleteOwnedAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var existing = await ApiReads.OrNullAsync(() => client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync(name, ns, cancellationToken: cancellationToken));
        if (existing is null || !IsOwnedBy(existing, name))
        {
            return false;
        }

        await ApiReads.OrNullAsync(() => client.AutoscalingV2.DeleteNamespacedHorizontalPodAutoscalerAsync(name, ns, cancellationToken: cancellationToken));
        return true;
    }

    /// <summary>The HPA the spec describes: bounds, one metric per source, cooldowns as stabilisation windows.</summary>
    public static V2HorizontalPodAutoscaler Build(PodAutoscaler pa, AutoscalerSettings settings, ScaleTarget target) => new()
    {
        ApiVersion = "autoscaling/v2",
        Kind = "HorizontalPodAutoscaler",
        Metadata = new V1ObjectMeta
        {
            Name = pa.Metadata.Name,
            NamespaceProperty = pa.Metadata.NamespaceProperty,
            Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "aibrix-podautoscaler" },
            OwnerReferences =
            [
                new V1OwnerReference
                {
                    ApiVersion = pa.ApiVersion, Kind = pa.Kind, Name = pa.Metadata.Name, Uid = pa.Metadata.Uid, Controller = true, BlockOwnerDeletion = true,
                },
            ],
        },
        Spec = new V2HorizontalPodAutoscalerSpec
        {
            ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = target.Group + "/" + target.Version, Kind = target.Kind, Name = target.Name },
            MinReplicas = Math.Max(1, settings.MinReplicas), // an HPA's minimum of 0 needs a feature gate
            MaxReplicas = settings.MaxReplicas,
            Metrics = pa.Spec.MetricsSources?.Select(Metric).ToList(),
            Behavior = new V2HorizontalPodAutoscalerBehavior
            {
                ScaleUp = new V2HPAScalingRules { StabilizationWindowSeconds = (int)settings.ScaleUpCooldown.TotalSeconds },
                ScaleDown = new V2HPAScalingRules { StabilizationWindowSeconds = (int)settings.ScaleDownCooldown.TotalSeconds },
            },
        },
    };

    private static V2MetricSpec Metric(PodAutoscalerMetricSource source)
    {
        var value = new ResourceQuantity(Quantity(source.TargetValue));
        return source.MetricSourceType.Trim().ToLowerInvariant() switch
        {
            PodAutoscalerMetricSourceTypes.Pod or PodAutoscalerMetricSourceTypes.Custom => new V2MetricSpec
            {
                Type = "Pods",
                Pods = new V2PodsMetricSource { Metric = new V2MetricIdentifier { Name = source.TargetMetric }, Target = new V2MetricTarget { Type = "AverageValue", AverageValue = value } },
            },
            PodAutoscalerMetricSourceTypes.Resource => new V2MetricSpec
            {
                Type = "Resource",
                Resource = new V2ResourceMetricSource { Name = source.TargetMetric, Target = new V2MetricTarget { Type = "AverageValue", AverageValue = value } },
            },
            _ => new V2MetricSpec
            {
                Type = "External",
                External = new V2ExternalMetricSource { Metric = new V2MetricIdentifier { Name = source.TargetMetric }, Target = new V2MetricTarget { Type = "AverageValue", AverageValue = value } },
            },
        };
    }

    // targetValue is validated as a number already; a quantity needs plain decimal notation.
    private static string Quantity(string text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal d) ? d.ToString("0.######", CultureInfo.InvariantCulture) : text;

    private static bool IsOwnedBy(V2HorizontalPodAutoscaler hpa, string paName) =>
        hpa.Metadata.OwnerReferences?.Any(o => o.Kind == PodAutoscaler.KindName && o.Name == paName && o.ApiVersion.StartsWith(PodAutoscaler.Group + "/", StringComparison.Ordinal)) == true;
}
