using System.Globalization;
using k8s.Models;

namespace AIBrix.Controllers.ModelAdapters;

/// <summary>
/// Whether a pod runs the AI runtime sidecar beside its engine, and where it listens. AIBrix's controller detects the
/// sidecar by a container named <c>aibrix-runtime</c> and calls it on port 8080; a pod may also say so (or move the
/// port) with the <see cref="PortAnnotation"/> annotation. A pod with a runtime gets its adapters through the
/// runtime's AIBrix routes (<c>/v1/lora_adapter/load</c>, <c>/unload</c>), which download remote artifacts first.
/// </summary>
public static class RuntimeSidecar
{
    /// <summary>The sidecar container's name, as AIBrix's <c>DetectRuntimeSidecar</c> looks for it.</summary>
    public const string ContainerName = "aibrix-runtime";

    /// <summary>AIBrix's <c>DefaultRuntimeAPIPort</c>.</summary>
    public const int DefaultPort = 8080;

    /// <summary>Annotation naming the runtime's port; its presence alone marks the pod as having a runtime.</summary>
    public const string PortAnnotation = "model.aibrix.ai/runtime-port";

    /// <summary>
    /// The runtime's port on <paramref name="pod"/>, or null when the pod has no runtime: the annotation first, else
    /// the <c>aibrix-runtime</c> container's first declared port, else <see cref="DefaultPort"/>.
    /// </summary>
    public static int? PortOf(V1Pod pod)
    {
        if (pod.Metadata?.Annotations?.TryGetValue(PortAnnotation, out var text) == true)
        {
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is > 0 and <= 65535 ? port : DefaultPort;
        }

        var container = pod.Spec?.Containers?.FirstOrDefault(c => c.Name == ContainerName);
        if (container is null)
        {
            return null;
        }

        return container.Ports?.FirstOrDefault()?.ContainerPort is int declared and > 0 ? declared : DefaultPort;
    }
}
