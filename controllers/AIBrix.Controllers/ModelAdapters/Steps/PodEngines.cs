using System.Globalization;
using AIBrix.EngineMetrics;
using AIBrix.Kubernetes.Crds;
using k8s.Models;

namespace AIBrix.Controllers.ModelAdapters.Steps;

/// <summary>
/// The engine behind each pod: where it listens (from the pod's IP and labels), and the adapter calls to it. A pod
/// with an AI runtime (<see cref="RuntimeSidecar"/>) is called through the runtime's AIBrix routes instead, as
/// AIBrix's controller does: listing at the runtime's <c>/v1/models</c>, loads with the artifact URL.
/// </summary>
internal sealed class PodEngines(EngineAdapterClient engines)
{
    /// <summary>True when the pod's engine lists <paramref name="adapter"/> in <c>/v1/models</c> (false when it cannot be reached).</summary>
    public async Task<bool> ListsAsync(V1Pod pod, string adapter, string? apiKey, CancellationToken cancellationToken) =>
        (await engines.ListModelsAsync(RuntimeUriOf(pod) ?? UriOf(pod), apiKey, cancellationToken))?.Contains(adapter) == true;

    /// <summary>Whether <paramref name="pod"/> is called through its AI runtime.</summary>
    public static bool HasRuntime(V1Pod pod) => RuntimeSidecar.PortOf(pod) is not null;

    /// <summary>
    /// Asks the pod's engine to load <paramref name="adapter"/> from <paramref name="path"/>; a pod with a runtime is
    /// asked through it, with <paramref name="artifact"/> (required then).
    /// </summary>
    public Task<(EngineCallResult Result, string Detail)> LoadAsync(V1Pod pod, string adapter, string path, RuntimeArtifact? artifact, string? apiKey, CancellationToken cancellationToken) =>
        RuntimeUriOf(pod) is { } runtime && artifact is not null
            ? engines.LoadThroughRuntimeAsync(runtime, adapter, artifact, apiKey, cancellationToken)
            : engines.LoadAsync(UriOf(pod), KindOf(pod), adapter, path, apiKey, cancellationToken);

    /// <summary>Asks the pod's engine (or its runtime) to unload <paramref name="adapter"/>.</summary>
    public Task<(EngineCallResult Result, string Detail)> UnloadAsync(V1Pod pod, string adapter, string? apiKey, CancellationToken cancellationToken) =>
        RuntimeUriOf(pod) is { } runtime
            ? engines.UnloadThroughRuntimeAsync(runtime, adapter, apiKey, cancellationToken)
            : engines.UnloadAsync(UriOf(pod), KindOf(pod), adapter, apiKey, cancellationToken);

    /// <summary>The serving port: the <c>model.aibrix.ai/port</c> label, else <see cref="ModelLabels.DefaultPort"/>.</summary>
    public static int PortOf(V1Pod pod) =>
        pod.Metadata.Labels?.TryGetValue(ModelLabels.Port, out var text) == true && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port)
            ? port : ModelLabels.DefaultPort;

    private static EngineKind KindOf(V1Pod pod) =>
        EngineKinds.FromLabel(pod.Metadata.Labels?.TryGetValue(ModelLabels.Engine, out var e) == true ? e : null);

    private static Uri UriOf(V1Pod pod) => At(pod, PortOf(pod));

    private static Uri? RuntimeUriOf(V1Pod pod) => RuntimeSidecar.PortOf(pod) is int port ? At(pod, port) : null;

    private static Uri At(V1Pod pod, int port)
    {
        string ip = pod.Status.PodIP;
        string host = ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]" : ip;
        return new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{host}:{port}/"));
    }
}
