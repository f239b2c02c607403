using System.Collections.Concurrent;
using AIBrix.Kubernetes.Runtime;
using AIBrix.Labels;
using k8s.Models;

namespace AIBrix.Controllers.PodAutoscalers;

/// <summary>
/// The ready pods of each (namespace, selector), from the pod informer's cache, kept until a pod changes. Without it
/// every reconcile would match every cached pod: 1,000 PodAutoscalers over 8,000 pods is 8 million label matches a
/// round; with it, a round of unchanged pods matches none.
/// </summary>
internal sealed class ReadyPodIndex(Func<IEnumerable<V1Pod>> pods)
{
    private readonly ConcurrentDictionary<(string Ns, string Selector), (long Version, IReadOnlyList<V1Pod> Pods)> _cache = new();
    private long _version;

    /// <summary>A pod was added, changed or deleted: every cached selection is stale.</summary>
    public void Invalidate() => Interlocked.Increment(ref _version);

    /// <summary>Forgets every selection (a new leadership term).</summary>
    public void Clear()
    {
        Invalidate();
        _cache.Clear();
    }

    /// <summary>
    /// Ready pods (Running, Ready, with an IP, not being deleted) in <paramref name="ns"/> matching
    /// <paramref name="selector"/> (a scale subresource's <c>status.selector</c>), by name; none without a selector.
    /// </summary>
    public IReadOnlyList<V1Pod> Of(string ns, string? selector)
    {
        if (string.IsNullOrEmpty(selector))
        {
            return []; // a target without a selector has no pods of its own to read
        }

        long version = Volatile.Read(ref _version);
        if (_cache.TryGetValue((ns, selector), out var hit) && hit.Version == version)
        {
            return hit.Pods;
        }

        if (!LabelSelector.TryParse(selector, out var parsed, out _))
        {
            return [];
        }

        var ready = new List<V1Pod>();
        foreach (var pod in pods())
        {
            if (pod.Metadata.NamespaceProperty == ns && PodReadiness.IsServing(pod) && parsed!.Matches(Labels(pod)))
            {
                ready.Add(pod);
            }
        }

        ready.Sort((a, b) => string.CompareOrdinal(a.Metadata.Name, b.Metadata.Name));
        _cache[(ns, selector)] = (version, ready);
        return ready;
    }

    private static IReadOnlyDictionary<string, string> Labels(V1Pod pod) =>
        pod.Metadata.Labels as IReadOnlyDictionary<string, string> ?? new Dictionary<string, string>(pod.Metadata.Labels ?? new Dictionary<string, string>());
}
