using AIBrix.Kubernetes.Crds;
using AIBrix.Kubernetes.Runtime;
using k8s.Models;

namespace AIBrix.Controllers.ModelAdapters.Steps;

/// <summary>What <see cref="AdapterLoader.LoadAsync"/> achieved: the pods now confirmed, and why a load failed (the last one), or null.</summary>
internal sealed record LoadOutcome(IReadOnlyList<string> Loaded, string? Failure);

/// <summary>Step: load on the picked pods. A load counts only once the engine lists the adapter in <c>/v1/models</c>.</summary>
internal sealed class AdapterLoader(PodEngines engines, AdapterCredentials credentials, EventRecorder events)
{
    /// <summary>Loads on each of <paramref name="picks"/> in turn; each success records a Loaded event.</summary>
    public async Task<LoadOutcome> LoadAsync(AdapterWork work, ModelAdapter adapter, IReadOnlyList<string> picks, IReadOnlyDictionary<string, V1Pod> candidates, CancellationToken cancellationToken)
    {
        var loaded = new List<string>();
        string? failure = null;
        RuntimeArtifact? artifact = null;
        string? unresolved = null;
        if (picks.Any(p => PodEngines.HasRuntime(candidates[p])))
        {
            (artifact, unresolved) = await credentials.ResolveAsync(adapter, cancellationToken);
        }

        foreach (var pick in picks)
        {
            var pod = candidates[pick];
            if (artifact is null && PodEngines.HasRuntime(pod))
            {
                failure = $"load on {pick} failed: {unresolved}";
                continue;
            }

            var (result, detail) = await engines.LoadAsync(pod, work.Name, work.Path, artifact, work.ApiKey, cancellationToken);
            if (result == EngineCallResult.Ok && await engines.ListsAsync(pod, work.Name, work.ApiKey, cancellationToken))
            {
                loaded.Add(pick);
                await events.RecordAsync(adapter, false, "Loaded", $"adapter loaded on pod {pick}", cancellationToken);
            }
            else
            {
                failure = $"load on {pick} failed: {(result == EngineCallResult.Ok ? "not listed in /v1/models after load" : detail)}";
            }
        }

        return new(loaded, failure);
    }

    /// <summary>Step: unload from pods no longer wanted. Best effort: the result is not checked, and the pods leave the instances either way.</summary>
    public async Task UnloadAsync(AdapterWork work, IReadOnlyList<string> extras, IReadOnlyDictionary<string, V1Pod> candidates, CancellationToken cancellationToken)
    {
        foreach (var extra in extras)
        {
            await engines.UnloadAsync(candidates[extra], work.Name, work.ApiKey, cancellationToken);
        }
    }
}
