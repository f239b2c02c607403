using k8s;
using k8s.Models;

namespace AIBrix.Kubernetes.Runtime;

/// <summary>A page of objects and the resource version the list was served at.</summary>
public sealed record ResourceList<T>(IReadOnlyList<T> Items, string ResourceVersion);

/// <summary>The two calls an <see cref="Informer{T}"/> needs: list, and watch from a resource version.</summary>
public interface IResourceApi<T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Lists every object in scope.</summary>
    Task<ResourceList<T>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Watches changes after <paramref name="resourceVersion"/> (bookmarks asked for). Error events the server
    /// sends in the stream (410 Gone) go to <paramref name="onError"/>; the sequence ends when the server closes it.
    /// </summary>
    IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(string resourceVersion, Action<Exception> onError, CancellationToken cancellationToken);
}
