using System.Globalization;
using AIBrix.Kubernetes.Crds;
using k8s.Models;

namespace AIBrix.Controllers.ModelRouter;

/// <summary>
/// A Deployment or StatefulSet serving a model, as the router reads it: the model (label <c>model.aibrix.ai/name</c>),
/// the serving port (label <c>model.aibrix.ai/port</c>, else 8000), the Service name (annotation
/// <c>model.aibrix.ai/service-name</c> when the model name is not a valid object name) and extra route paths
/// (annotation <c>model.aibrix.ai/model-router-custom-paths</c>, comma separated).
/// </summary>
public sealed record ModelWorkload(string ApiVersion, string Kind, string Namespace, string Name, string Uid, string Model, int Port,
    string? ServiceName, IReadOnlyList<string> CustomPaths)
{
    /// <summary>Annotation naming the Service when the model name is not a DNS label.</summary>
    public const string ServiceNameAnnotation = "model.aibrix.ai/service-name";

    /// <summary>Annotation adding path prefixes to the route, comma separated.</summary>
    public const string CustomPathsAnnotation = "model.aibrix.ai/model-router-custom-paths";

    /// <summary>The workload's model, or null when it is not labelled, or is being deleted.</summary>
    public static ModelWorkload? From(V1Deployment d) => From("apps/v1", "Deployment", d.Metadata);

    /// <inheritdoc cref="From(V1Deployment)"/>
    public static ModelWorkload? From(V1StatefulSet s) => From("apps/v1", "StatefulSet", s.Metadata);

    /// <summary>The model a workload's labels name (for queueing the old model when the label changes).</summary>
    public static string? ModelOf(V1ObjectMeta metadata) =>
        metadata.Labels is { } labels && labels.TryGetValue(ModelLabels.Name, out var model) && !string.IsNullOrEmpty(model) ? model : null;

    private static ModelWorkload? From(string apiVersion, string kind, V1ObjectMeta m)
    {
        if (m.DeletionTimestamp is not null || ModelOf(m) is not { } model)
        {
            return null;
        }

        int port = m.Labels.TryGetValue(ModelLabels.Port, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p is > 0 and <= 65535
            ? p
            : ModelLabels.DefaultPort;
        var annotations = m.Annotations ?? new Dictionary<string, string>();
        var paths = annotations.TryGetValue(CustomPathsAnnotation, out var list)
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(x => x.Replace(" ", "", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToArray()
            : [];
        return new ModelWorkload(apiVersion, kind, m.NamespaceProperty ?? "", m.Name, m.Uid ?? "", model, port,
            annotations.TryGetValue(ServiceNameAnnotation, out var svc) && svc.Length > 0 ? svc : null, paths);
    }
}
